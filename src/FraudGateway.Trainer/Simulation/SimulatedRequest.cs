using System.Net;

namespace FraudGateway.Trainer.Simulation;

public enum Endpoint
{
    Login,
    Contact,
    Signup,
}

// One simulated request before the counters are replayed over the whole timeline.
public sealed class SimulatedRequest
{
    public required DateTimeOffset Time { get; init; }

    public required IPAddress Ip { get; init; }

    public required Endpoint Endpoint { get; init; }

    public required ClientHeaders Headers { get; init; }

    public string? Account { get; init; }

    // Login attempts: did the upstream refuse the password.
    public bool LoginFails { get; init; }

    public int EmailDisposable { get; init; } = -1;

    public int MessageLinks { get; init; } = -1;

    public double FormFillSeconds { get; init; } = -1;

    public long BodyLength { get; init; }

    public required bool Abusive { get; init; }

    public required string Scenario { get; init; }

    // Scenario suffix of an attack row sent by a script-driven real browser (ClientHeaders.BrowserDriven).
    public const string BrowserDrivenSuffix = ":browser-driven";

    public static bool IsBrowserDriven(string? scenario) => scenario?.EndsWith(BrowserDrivenSuffix, StringComparison.Ordinal) == true;
}

// The headers a client sends: what a real browser of that version sends, or what a script sets.
public sealed record ClientHeaders(
    string? UserAgent,
    string? Accept,
    string? AcceptLanguage,
    string? AcceptEncoding,
    string? SecFetchSite,
    string? SecFetchMode,
    string? SecFetchDest,
    string? SecChUa,
    string ContentType,
    string Method = "POST")
{
    // A real browser driven by a script (a stealth plugin), or a script that copied a browser's user agent and every
    // header it sends: nothing the client sends tells it from a person, so the client model neither trains on nor is
    // ranked by these rows (their scenario ends in SimulatedRequest.BrowserDrivenSuffix).
    public bool BrowserDriven { get; init; }
}
