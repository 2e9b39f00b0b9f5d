using System.Globalization;
using System.Text.Json.Nodes;

namespace CaptchaSimulator;

// Speaks the siteverify protocol of the three providers (form-encoded POST of secret, response, remoteip, plus
// Turnstile's idempotency_key and hCaptcha's sitekey; JSON answer). Tokens may describe what the "solved widget"
// reports: "sim~<hostname>~<action>~<score>~<age seconds>~<anything>" (use "-" for a field to leave it out);
// any other token reports hostname "localhost", no action, score 0.9, solved just now.
public static class CaptchaSimulatorHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<SimulatorStats>();
        configure?.Invoke(builder);
        var app = builder.Build();

        app.MapPost("/turnstile/v0/siteverify", (HttpContext c, SimulatorStats s) => VerifyAsync(c, s, "turnstile"));
        app.MapPost("/hcaptcha/siteverify", (HttpContext c, SimulatorStats s) => VerifyAsync(c, s, "hcaptcha"));
        app.MapPost("/recaptcha/api/siteverify", (HttpContext c, SimulatorStats s) => VerifyAsync(c, s, "recaptcha"));
        app.MapGet("/_simulator/stats", (SimulatorStats s) => Results.Json(new { calls = s.Calls, callsWithRemoteIp = s.CallsWithRemoteIp }));
        app.MapGet("/healthz", () => Results.Json(new { status = "live" }));
        return app;
    }

    private static async Task<IResult> VerifyAsync(HttpContext context, SimulatorStats stats, string provider)
    {
        stats.Count();
        if (!context.Request.HasFormContentType)
        {
            return Results.Json(Failure("bad-request"));
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string secret = form["secret"].ToString();
        string token = form["response"].ToString();
        if (form.ContainsKey("remoteip"))
        {
            stats.CountRemoteIp();
        }
        switch (secret)
        {
            case "":
                return Results.Json(Failure("missing-input-secret"));
            case SimulatorSecrets.ServerError:
                return Results.StatusCode(500);
            case SimulatorSecrets.NeverAnswers:
                // Until the caller gives up or the simulator stops: a held request must not hold up its shutdown.
                using (var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping))
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }

                return Results.Empty;
            case SimulatorSecrets.Slow:
                await Task.Delay(SimulatorSecrets.SlowDelayMs, context.RequestAborted);
                break;
            case SimulatorSecrets.InternalError:
                return Results.Json(Failure("internal-error"));
            case SimulatorSecrets.Expired:
                return Results.Json(Failure(provider == "hcaptcha" ? "expired-input-response" : "timeout-or-duplicate"));
            case SimulatorSecrets.SlowOnce:
                var key = form["idempotency_key"].ToString();
                if (stats.Spend(token, key) is { } firstKey)
                {
                    // Seen before: Turnstile's retry by the same key is answered as the first call; otherwise spent.
                    if (provider == "turnstile" && key.Length > 0 && key == firstKey)
                    {
                        break;
                    }

                    return Results.Json(Failure(provider == "hcaptcha" ? "invalid-or-already-seen-response" : "timeout-or-duplicate"));
                }

                // Not the request's token: the provider finishes judging a token whose caller stopped waiting.
                await Task.Delay(SimulatorSecrets.SlowOnceDelayMs, context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
                break;
            case SimulatorSecrets.AlwaysFails:
                return Results.Json(Failure("invalid-input-response"));
            case SimulatorSecrets.TokenSpent:
                return Results.Json(Failure(provider == "hcaptcha" ? "invalid-or-already-seen-response" : "timeout-or-duplicate"));
            case SimulatorSecrets.AlwaysPasses:
                break;
            default:
                return Results.Json(Failure("invalid-input-secret"));
        }

        if (token.Length == 0)
        {
            return Results.Json(Failure("missing-input-response"));
        }

        var (hostname, action, score, ageSeconds) = Describe(token);
        var answer = new JsonObject
        {
            ["success"] = true,
            ["challenge_ts"] = DateTimeOffset.UtcNow.AddSeconds(-ageSeconds).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["hostname"] = hostname,
            ["error-codes"] = new JsonArray(),
        };
        if (action is not null && provider != "hcaptcha")
        {
            answer["action"] = action;
        }

        if (provider == "recaptcha" && score is not null)
        {
            answer["score"] = score;
        }

        if (provider == "hcaptcha")
        {
            answer["credit"] = false;
        }

        return Results.Content(answer.ToJsonString(), "application/json");
    }

    private static (string Hostname, string? Action, double? Score, int AgeSeconds) Describe(string token)
    {
        var parts = token.Split('~');
        if (parts.Length < 6 || parts[0] != "sim")
        {
            return ("localhost", null, 0.9, 0);
        }

        return (
            parts[1] == "-" ? "localhost" : parts[1],
            parts[2] == "-" ? null : parts[2],
            double.TryParse(parts[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var score) ? score : null,
            int.TryParse(parts[4], out var age) ? age : 0);
    }

    private static JsonObject Failure(string code) => new() { ["success"] = false, ["error-codes"] = new JsonArray(code) };
}

public sealed class SimulatorStats
{
    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    private long _callsWithRemoteIp;

    // Verifications that carried the client's address (remoteip), which the gateway sends only when configured to.
    public long CallsWithRemoteIp => Interlocked.Read(ref _callsWithRemoteIp);

    public void Count() => Interlocked.Increment(ref _calls);

    public void CountRemoteIp() => Interlocked.Increment(ref _callsWithRemoteIp);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _spent = new(StringComparer.Ordinal);

    // Marks the token spent; null the first time, else the idempotency key its first call carried.
    public string? Spend(string token, string idempotencyKey) =>
        _spent.TryAdd(token, idempotencyKey) ? null : _spent[token];
}
