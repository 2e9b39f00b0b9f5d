// The soak's traffic and verdicts (load-tests/soak.sh starts the processes and restarts Redis in the middle):
// people logging in, a credential-stuffing run over 4,096 addresses and a contact-form spam run, spread over two
// gateways on one Redis, for --seconds. Every sample interval it prints each gateway's resident memory and the
// answers so far; at the end it checks that a limit is still exact (a burst from a fresh address across both
// gateways) and prints a verdict. Loopback only; bounded in count and time by the rates below and --seconds.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

var options = SoakOptions.Parse(args);
var gateways = options.Gateways.Select(url => new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseCookies = false })
{
    BaseAddress = new Uri(url),
    Timeout = TimeSpan.FromSeconds(10),
}).ToArray();
foreach (var gateway in gateways)
{
    if (!IPAddress.IsLoopback(Dns.GetHostAddresses(gateway.BaseAddress!.Host)[0]))
    {
        Console.Error.WriteLine($"soak: {gateway.BaseAddress} is not a loopback address; the soak only sends to loopback.");
        return 2;
    }
}

var tally = new Tally();
var clock = Stopwatch.StartNew();
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds));
var inFlight = new SemaphoreSlim(128);
var sequence = 0L;

const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

// 60 people, each with an account of their own (signed up through the gateway before the run) and an address in a
// network of their own, logging in every 30 s.
const int People = 60;

HttpRequestMessage PersonRequest(string path, int person)
{
    var request = Json(path, $$"""{"username":"person{{person}}@example.org","password":"correct-horse-{{person}}-battery"}""");
    Browser(request);
    request.Headers.TryAddWithoutValidation("X-Forwarded-For", $"100.70.{person}.1");
    return request;
}

HttpRequestMessage PersonLogin(long n) => PersonRequest("/api/auth/login", (int)(n % People));

HttpRequestMessage Stuffing(long n)
{
    var address = (int)(n % 4096);
    var request = Json("/api/auth/login", $$"""{"username":"user{{n * 7919 % 2000}}@example.org","password":"Summer{{n % 97}}!"}""");
    request.Headers.TryAddWithoutValidation("User-Agent", "python-requests/2.28.1");
    request.Headers.TryAddWithoutValidation("Accept", "*/*");
    request.Headers.TryAddWithoutValidation("X-Forwarded-For", $"100.80.{address / 256}.{address % 256}");
    return request;
}

HttpRequestMessage Spam(long n)
{
    var address = (int)(n % 256);
    var request = Json("/api/contact", $$"""{"name":"Best Offer {{n}}","email":"deals{{n}}@mailinator.com","message":"Cheap pills http://spam.example/{{n}} http://spam.example/buy http://spam.example/now","website":"{{(n % 3 == 0 ? "http://spam.example" : "")}}"}""");
    request.Headers.TryAddWithoutValidation("User-Agent", "curl/7.88.1");
    request.Headers.TryAddWithoutValidation("X-Forwarded-For", $"100.90.0.{address}");
    return request;
}

static HttpRequestMessage Json(string path, string body) =>
    new(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

// The headers Chromium 156 sent with a library-style fetch() from a real window (data/client-headers/captured.jsonl,
// client "chromium", request "fetch-library"), in its order.
static void Browser(HttpRequestMessage request)
{
    request.Headers.TryAddWithoutValidation("Accept", "application/json, text/plain, */*");
    request.Headers.TryAddWithoutValidation("Connection", "keep-alive");
    request.Headers.TryAddWithoutValidation("User-Agent", Chrome);
    request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br, zstd");
    request.Headers.TryAddWithoutValidation("Accept-Language", "en-US,en;q=0.9");
    request.Headers.TryAddWithoutValidation("Origin", "http://127.0.0.1");
    request.Headers.TryAddWithoutValidation("Referer", "http://127.0.0.1/login");
    request.Headers.TryAddWithoutValidation("sec-ch-ua-platform", "\"Linux\"");
    request.Headers.TryAddWithoutValidation("sec-ch-ua", "\"Not:A-Brand\";v=\"8\", \"Chromium\";v=\"156\"");
    request.Headers.TryAddWithoutValidation("sec-ch-ua-mobile", "?0");
    request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
    request.Headers.TryAddWithoutValidation("Sec-Fetch-Mode", "cors");
    request.Headers.TryAddWithoutValidation("Sec-Fetch-Dest", "empty");
}

async Task Send(string scenario, HttpRequestMessage request)
{
    var at = clock.Elapsed.TotalSeconds;
    var gateway = gateways[Interlocked.Increment(ref sequence) % gateways.Length];
    try
    {
        using var response = await gateway.SendAsync(request);
        var type = "";
        if ((int)response.StatusCode >= 400)
        {
            var body = await response.Content.ReadAsStringAsync();
            try
            {
                type = JsonDocument.Parse(body).RootElement.GetProperty("type").GetString() ?? "";
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                type = "(not problem+json)";
            }
        }

        tally.Add(scenario, (int)response.StatusCode, type, at, options);
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
    {
        tally.Add(scenario, 0, e.GetType().Name, at, options);
    }
    finally
    {
        request.Dispose();
        inFlight.Release();
    }
}

async Task Drive(string scenario, double perSecond, Func<long, HttpRequestMessage> make)
{
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / perSecond));
    var pending = new List<Task>();
    var n = 0L;
    try
    {
        while (await timer.WaitForNextTickAsync(stop.Token))
        {
            await inFlight.WaitAsync(stop.Token);
            pending.Add(Send(scenario, make(n++)));
            pending.RemoveAll(task => task.IsCompleted);
        }
    }
    catch (OperationCanceledException)
    {
    }

    await Task.WhenAll(pending);
}

var samples = new List<Sample>();
async Task SampleEvery()
{
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.SampleSeconds));
    try
    {
        while (await timer.WaitForNextTickAsync(stop.Token))
        {
            var sample = new Sample(clock.Elapsed.TotalSeconds, options.Pids.Select(ResidentMiB).ToArray(), tally.Total, tally.Errors.Count);
            samples.Add(sample);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"t={sample.Seconds,6:F0}s  RSS MiB {string.Join(" / ", sample.ResidentMiB.Select(r => r.ToString("F1", CultureInfo.InvariantCulture)))}  answers {sample.Answers}  errors {sample.Errors}  {tally.Summary()}"));
        }
    }
    catch (OperationCanceledException)
    {
    }
}

static double ResidentMiB(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
    }

    return 0;
}

foreach (var person in Enumerable.Range(0, People))
{
    using var signup = PersonRequest("/api/auth/signup", person);
    using var answer = await gateways[person % gateways.Length].SendAsync(signup);
    if (answer.StatusCode != HttpStatusCode.Created)
    {
        Console.Error.WriteLine($"soak: signing up person {person} was answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        return 1;
    }
}

Console.WriteLine($"soak: {options.Seconds} s over {gateways.Length} gateways; Redis restart at {options.OutageAt} s for {options.OutageSeconds} s");
await Task.WhenAll(
    Drive("people", 2, PersonLogin),
    Drive("stuffing", 10, Stuffing),
    Drive("spam", 5, Spam),
    SampleEvery());

// After the run (and the restart): is a limit still exact across both gateways? A burst of 4x the limit from a
// fresh address, all at once, on the soak's exact route.
var burst = await Task.WhenAll(Enumerable.Range(0, options.ExactLimit * 4).Select(async i =>
{
    using var request = Json(options.ExactPath, """{"email":"someone@example.org"}""");
    request.Headers.TryAddWithoutValidation("X-Forwarded-For", "100.99.0.1");
    using var response = await gateways[i % gateways.Length].SendAsync(request);
    return (int)response.StatusCode;
}));
var through = burst.Count(s => s is >= 200 and < 300);
var refused = burst.Count(s => s == 429);

var verdicts = new List<string>();
if (tally.Errors.Count > 0)
{
    verdicts.Add($"{tally.Errors.Count} errors: {string.Join(", ", tally.Errors.GroupBy(e => e).Select(g => $"{g.Key} x{g.Count()}").Take(10))}");
}

if (through != options.ExactLimit || refused != burst.Length - options.ExactLimit)
{
    verdicts.Add($"the limit of {options.ExactLimit} let {through} through and refused {refused} of {burst.Length}");
}

// Memory flattens: after the first minute, the second half's peak stays within 20% of the first half's.
var settled = samples.Where(s => s.Seconds >= 60).ToList();
if (options.Seconds >= 600 && settled.Count >= 4)
{
    var half = settled.Count / 2;
    for (var g = 0; g < options.Pids.Count; g++)
    {
        var early = settled.Take(half).Max(s => s.ResidentMiB[g]);
        var late = settled.Skip(half).Max(s => s.ResidentMiB[g]);
        if (late > early * 1.2)
        {
            verdicts.Add(string.Create(CultureInfo.InvariantCulture, $"gateway {g + 1}'s memory kept growing: peak {early:F1} MiB in the first half, {late:F1} MiB in the second"));
        }
    }
}

var report = new
{
    seconds = options.Seconds,
    outageAt = options.OutageAt,
    outageSeconds = options.OutageSeconds,
    answers = tally.ByScenario(),
    problems = tally.Types,
    errors = tally.Errors.GroupBy(e => e).ToDictionary(g => g.Key, g => g.Count()),
    outageAnswers = tally.OutageAnswers,
    exact = new { limit = options.ExactLimit, sent = burst.Length, through, refused },
    residentMiB = samples.Select(s => new { s.Seconds, s.ResidentMiB }),
    verdicts,
};
await File.WriteAllTextAsync(options.Report, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"soak: exact limit {options.ExactLimit}: {through} through, {refused} refused of {burst.Length} ({string.Join(", ", burst.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}"))})");
Console.WriteLine($"soak: refusals {string.Join(", ", tally.Types.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} x{p.Value}"))}");
Console.WriteLine($"soak: answers {tally.Summary()}; during the outage window {string.Join(", ", tally.OutageAnswers.Select(p => $"{p.Key} x{p.Value}"))}");
Console.WriteLine(verdicts.Count == 0 ? "soak: passed" : "soak: FAILED: " + string.Join("; ", verdicts));
return verdicts.Count == 0 ? 0 : 1;

internal sealed record Sample(double Seconds, double[] ResidentMiB, long Answers, int Errors);

// Answers by scenario and status. An error is a transport failure, a 500/502/504, or a 503 outside the outage
// window (from 5 s before the kill, since soak.sh's timer starts before this process, to 20 s after Redis is back:
// reconnecting takes a few seconds). Inside it, a 503 store-unavailable is the login policy's own answer (FailClosed).
internal sealed class Tally
{
    private readonly ConcurrentDictionary<(string Scenario, int Status), long> _counts = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentDictionary<string, long> _outage = new();
    private readonly ConcurrentDictionary<string, long> _types = new();

    // Refusals by scenario, status and problem type.
    public IDictionary<string, long> Types => _types;
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public IReadOnlyCollection<string> Errors => _errors;

    public IDictionary<string, long> OutageAnswers => _outage;

    public void Add(string scenario, int status, string type, double at, SoakOptions options)
    {
        Interlocked.Increment(ref _total);
        _counts.AddOrUpdate((scenario, status), 1, (_, n) => n + 1);
        if (type.Length > 0)
        {
            _types.AddOrUpdate($"{scenario} {status} {type}", 1, (_, n) => n + 1);
        }

        var inOutage = options.OutageSeconds > 0 && at >= options.OutageAt - 5 && at <= options.OutageAt + options.OutageSeconds + 20;
        if (inOutage)
        {
            _outage.AddOrUpdate($"{scenario} {status}{(type.Length > 0 ? " " + type : "")}", 1, (_, n) => n + 1);
        }

        var error = status == 0 || status is 500 or 502 or 504 || (status == 503 && !(inOutage && type.EndsWith("store-unavailable", StringComparison.Ordinal)));
        if (error)
        {
            _errors.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{scenario} {status} {type} at {at:F0}s"));
        }
    }

    public Dictionary<string, Dictionary<string, long>> ByScenario() =>
        _counts.GroupBy(p => p.Key.Scenario).ToDictionary(g => g.Key, g => g.OrderBy(p => p.Key.Status).ToDictionary(p => p.Key.Status.ToString(CultureInfo.InvariantCulture), p => p.Value));

    public string Summary() => string.Join("  ", ByScenario().OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}: {string.Join(" ", s.Value.Select(p => $"{p.Key}x{p.Value}"))}"));
}

internal sealed class SoakOptions
{
    public List<string> Gateways { get; } = [];

    public List<int> Pids { get; } = [];

    public int Seconds { get; private set; } = 60;

    public int OutageAt { get; private set; } = 30;

    public int OutageSeconds { get; private set; } = 3;

    public int SampleSeconds { get; private set; } = 60;

    public string ExactPath { get; private set; } = "/api/auth/password-reset";

    public int ExactLimit { get; private set; } = 50;

    public string Report { get; private set; } = "soak.json";

    public static SoakOptions Parse(string[] args)
    {
        var options = new SoakOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--gateway": options.Gateways.Add(value); break;
                case "--pid": options.Pids.Add(int.Parse(value, CultureInfo.InvariantCulture)); break;
                case "--seconds": options.Seconds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--outage-at": options.OutageAt = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--outage-seconds": options.OutageSeconds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--sample-seconds": options.SampleSeconds = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--exact-path": options.ExactPath = value; break;
                case "--exact-limit": options.ExactLimit = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--report": options.Report = value; break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        return options.Gateways.Count > 0 ? options : throw new ArgumentException("At least one --gateway is needed.");
    }
}
