// One phase of the credential-stuffing drill (load-tests/stuffing-drill.sh starts fresh processes for each phase and
// prints the table): people logging in throughout (each from an address of their own, 1 to 3 logins, 5% starting with
// a typo, solving the proof of work when the gateway asks, as a browser's script does) while one attack runs against
// accounts that exist on the upstream (3% of its combinations valid). Prints one JSON line: what reached the upstream,
// the accounts taken over, and what people met. Loopback only; bounded by --seconds and the rates below.
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

if (args is ["--measure-pow", ..])
{
    // What an attacker that solves the proof of work reaches on one core with a native SHA-256 (this program's
    // solver, the same search as the gateway's pow.js): solves per second at each difficulty, 64 solves each.
    Console.WriteLine("| difficulty | solves (attempts) per second per core | ms per solve |");
    Console.WriteLine("|---|---|---|");
    foreach (var difficulty in new[] { 12, 14, 16, 18, 20 })
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 64; i++)
        {
            Solve($"pow1.0.{difficulty}.{Guid.NewGuid():N}.measure", difficulty);
        }

        var perSolve = watch.Elapsed.TotalMilliseconds / 64;
        Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"| {difficulty} | {1000 / perSolve:F0} | {perSolve:F1} |"));
    }

    return 0;
}

var options = DrillOptions.Parse(args);
var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseCookies = false };
var gateways = options.Gateways.Select(url => new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) }).ToArray();
using var upstream = new HttpClient { BaseAddress = new Uri(options.Upstream), Timeout = TimeSpan.FromSeconds(10) };
foreach (var client in gateways.Append(upstream))
{
    if (!IPAddress.IsLoopback(Dns.GetHostAddresses(client.BaseAddress!.Host)[0]))
    {
        Console.Error.WriteLine($"drill: {client.BaseAddress} is not a loopback address; the drill only sends to loopback.");
        return 2;
    }
}

const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36";
const int Accounts = 2000;
static string Password(int account) => $"pw-{account}-correct-horse";

// The upstream's accounts, signed up on it directly (the gateway is not what is being measured here).
await Parallel.ForEachAsync(Enumerable.Range(0, Accounts), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, cancel) =>
{
    using var response = await upstream.PostAsync("/api/auth/signup", Json(new { username = $"user{i}", password = Password(i) }), cancel);
});

var random = new Random(options.Seed);
var sequence = 0L;
var clock = Stopwatch.StartNew();
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds));
var attack = new AttackTally();
var people = new PeopleTally();

async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) =>
    await gateways[Interlocked.Increment(ref sequence) % gateways.Length].SendAsync(request);

HttpRequestMessage Login(string user, string password, string address, bool browser, string? token = null)
{
    var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = Json(new { username = user, password }) };
    request.Headers.TryAddWithoutValidation("X-Forwarded-For", address);
    if (browser)
    {
        request.Headers.TryAddWithoutValidation("User-Agent", Chrome);
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/plain, */*");
        request.Headers.TryAddWithoutValidation("Accept-Language", "en-US,en;q=0.9");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br, zstd");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", "cors");
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Dest", "empty");
    }
    else
    {
        request.Headers.TryAddWithoutValidation("User-Agent", "python-requests/2.32.3");
        request.Headers.TryAddWithoutValidation("Accept", "*/*");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate");
    }

    if (token is not null)
    {
        request.Headers.TryAddWithoutValidation("X-Captcha-Token", token);
    }

    return request;
}

// The attack: which address each attempt comes from, and whether it looks like a browser.
(string Address, bool Browser) Attacker(long n) => options.Phase switch
{
    "naive" => ($"45.10.{n % 20}.7", false),
    "ipv6" => ($"2a01:4f8:10:20:{(n >> 16) & 0xffff:x}:{n & 0xffff:x}:{(n * 7919) & 0xffff:x}:1", true),
    // distributed and slow: every attempt from its own /24, each address used at most twice.
    _ => ($"{11 + (n / 2 / 62500 % 200)}.{(n / 2 / 250) % 250 + 1}.{(n / 2) % 250 + 1}.{1 + (n % 2)}", true),
};

async Task AttackOnce(long n)
{
    int account;
    bool valid;
    lock (random)
    {
        account = random.Next(Accounts);
        valid = random.NextDouble() < 0.03;
    }

    var (address, browser) = Attacker(n);
    using var response = await SendAsync(Login($"user{account}", valid ? Password(account) : "Summer2024!", address, browser));
    var type = await ProblemType(response);
    attack.Add(clock.Elapsed.TotalSeconds, type, valid, response.StatusCode == HttpStatusCode.OK && type is null);
}

async Task PersonOnce(long n)
{
    var account = (int)(n % Accounts);
    // Each person in a /24 of their own.
    var address = $"100.{70 + (n / 62500 % 50)}.{n % 250 + 1}.{(n / 250) % 250 + 1}";
    var typo = n % 20 == 0;
    var logins = 1 + (int)(n % 3);
    string? device = null;
    for (var i = 0; i < logins; i++)
    {
        var password = typo && i == 0 ? "pw-wrong" : Password(account);
        var returning = device is not null;
        var (outcome, token) = await LoginAsPerson($"user{account}", password, address, device);
        device ??= token;
        people.Add(clock.Elapsed.TotalSeconds, outcome, wrongPassword: password != Password(account), returning);
    }
}

// A browser's login: it keeps the trusted-device token an earlier success earned (the gateway's cookie; sent here as
// its header); on captcha-required with a proof of work, it fetches the challenge, solves it and sends the solution.
async Task<(string Outcome, string? Device)> LoginAsPerson(string user, string password, string address, string? device)
{
    using var first = await SendAsync(WithDevice(Login(user, password, address, browser: true), device));
    var type = await ProblemType(first);
    if (type is null)
    {
        return (first.StatusCode == HttpStatusCode.OK ? "in" : "upstream-" + (int)first.StatusCode, DeviceOf(first));
    }

    if (!type.EndsWith(":captcha-required", StringComparison.Ordinal) || ChallengeUrl(await first.Content.ReadAsStringAsync()) is not { } url)
    {
        return ("refused " + type, null);
    }

    var challenge = JsonNode.Parse(await gateways[0].GetStringAsync(url))!;
    var token = Solve((string)challenge["challenge"]!, (int)challenge["difficulty"]!);
    using var second = await SendAsync(WithDevice(Login(user, password, address, browser: true, token), device));
    var after = await ProblemType(second);
    return (after is not null ? "refused after solving " + after : second.StatusCode == HttpStatusCode.OK ? "in after solving" : "upstream-" + (int)second.StatusCode,
        DeviceOf(second));
}

static HttpRequestMessage WithDevice(HttpRequestMessage request, string? device)
{
    if (device is not null)
    {
        request.Headers.TryAddWithoutValidation("X-Device-Token", device);
    }

    return request;
}

static string? DeviceOf(HttpResponseMessage response) =>
    response.Headers.TryGetValues("X-Device-Token", out var values) ? values.FirstOrDefault() : null;

async Task Drive(double perSecond, Func<long, Task> once)
{
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / perSecond));
    var pending = new List<Task>();
    var n = 0L;
    try
    {
        while (await timer.WaitForNextTickAsync(stop.Token))
        {
            var i = n++;
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    await once(i);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    attack.Error();
                }
            }));
            pending.RemoveAll(task => task.IsCompleted);
        }
    }
    catch (OperationCanceledException)
    {
    }

    await Task.WhenAll(pending);
}

var rate = options.Phase switch { "naive" => 25.0, "distributed" => 40.0, "ipv6" => 20.0, "slow" => 4.0, _ => 0.0 };
var drives = new List<Task> { Drive(options.PeopleRate, PersonOnce) };
if (rate > 0)
{
    drives.Add(Task.Delay(TimeSpan.FromSeconds(options.AttackAfter)).ContinueWith(_ => Drive(rate, AttackOnce)).Unwrap());
}

await Task.WhenAll(drives);
Console.WriteLine(JsonSerializer.Serialize(new
{
    phase = options.Phase,
    seconds = options.Seconds,
    attack = attack.Summary(options.AttackAfter + 60),
    people = people.Summary(),
}));
return 0;

static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

static async Task<string?> ProblemType(HttpResponseMessage response)
{
    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
    {
        return null;
    }

    var type = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["type"]?.GetValue<string>();
    return type is not null && type.StartsWith("urn:fraudgateway:problem:", StringComparison.Ordinal) ? type : null;
}

static string? ChallengeUrl(string body) => (string?)JsonNode.Parse(body)?["captcha"]?["challengeUrl"];

// SHA-256("<challenge>:<nonce>") with `difficulty` leading zero bits: what the gateway's pow.js does in a browser.
static string Solve(string challenge, int difficulty)
{
    Span<byte> hash = stackalloc byte[32];
    for (var nonce = 0L; ; nonce++)
    {
        var token = challenge + ":" + nonce;
        SHA256.HashData(Encoding.ASCII.GetBytes(token), hash);
        var bits = 0;
        foreach (var b in hash)
        {
            if (b == 0)
            {
                bits += 8;
                continue;
            }

            bits += System.Numerics.BitOperations.LeadingZeroCount(b) - 24;
            break;
        }

        if (bits >= difficulty)
        {
            return token;
        }
    }
}

internal sealed class AttackTally
{
    private readonly Lock _lock = new();
    private readonly List<(double At, string? Type, bool Valid, bool TakenOver)> _attempts = [];
    private int _errors;

    public void Add(double at, string? type, bool valid, bool takenOver)
    {
        lock (_lock)
        {
            _attempts.Add((at, type, valid, takenOver));
        }
    }

    public void Error() => Interlocked.Increment(ref _errors);

    // Forwarded: answered by the upstream (no gateway problem). "After" counts from the first 60 s of the attack on.
    public object Summary(double afterSeconds)
    {
        lock (_lock)
        {
            var after = _attempts.Where(a => a.At >= afterSeconds).ToList();
            return new
            {
                attempts = _attempts.Count,
                forwarded = _attempts.Count(a => a.Type is null),
                attemptsAfter60s = after.Count,
                forwardedAfter60s = after.Count(a => a.Type is null),
                validCombos = _attempts.Count(a => a.Valid),
                takenOver = _attempts.Count(a => a.TakenOver),
                refusals = _attempts.Where(a => a.Type is not null).GroupBy(a => a.Type![25..]).ToDictionary(g => g.Key, g => g.Count()),
                errors = _errors,
            };
        }
    }
}

internal sealed class PeopleTally
{
    private readonly Lock _lock = new();
    private readonly List<(double At, string Outcome, bool WrongPassword, bool Returning)> _logins = [];

    public void Add(double at, string outcome, bool wrongPassword, bool returning)
    {
        lock (_lock)
        {
            _logins.Add((at, outcome, wrongPassword, returning));
        }
    }

    public object Summary()
    {
        lock (_lock)
        {
            var rightPassword = _logins.Where(l => !l.WrongPassword).ToList();
            return new
            {
                logins = _logins.Count,
                rightPassword = rightPassword.Count,
                inDirectly = rightPassword.Count(l => l.Outcome == "in"),
                inAfterSolving = rightPassword.Count(l => l.Outcome == "in after solving"),
                refused = _logins.Count(l => l.Outcome.StartsWith("refused", StringComparison.Ordinal)),
                returning = _logins.Count(l => l.Returning),
                returningChallenged = _logins.Count(l => l.Returning && l.Outcome == "in after solving"),
                notIn = rightPassword.Count(l => !l.Outcome.StartsWith("in", StringComparison.Ordinal)),
                outcomes = _logins.GroupBy(l => l.Outcome).ToDictionary(g => g.Key, g => g.Count()),
            };
        }
    }
}

internal sealed record DrillOptions(List<string> Gateways, string Upstream, string Phase, double Seconds, double AttackAfter, double PeopleRate, int Seed)
{
    public static DrillOptions Parse(string[] args)
    {
        var gateways = new List<string>();
        string upstream = "http://127.0.0.1:5080", phase = "distributed";
        double seconds = 150, attackAfter = 20, peopleRate = 5;
        var seed = 1;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--gateway": gateways.Add(value); break;
                case "--upstream": upstream = value; break;
                case "--phase": phase = value; break;
                case "--seconds": seconds = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "--attack-after": attackAfter = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "--people-rate": peopleRate = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }

        return new DrillOptions(gateways.Count == 0 ? ["http://127.0.0.1:5000"] : gateways, upstream, phase, seconds, attackAfter, peopleRate, seed);
    }
}
