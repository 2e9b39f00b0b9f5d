using System.Diagnostics;
using System.Net;
using FraudGateway.Model;

// Usage: ScoringBench <model.zip> [iterations]
// Prints microseconds of CPU per request for: extraction only, extraction + score (the compiled trees the gateway uses,
// then ML.NET's prediction engine), extraction + score + explanation; then the score alone over varied requests (the
// corpora's user agents, from data/corpora beside the model's folder), without and with other memory read between;
// then the JA4 fingerprint of a TLS ClientHello.
var path = args.Length > 0 ? args[0] : "models/fraudgateway.zip";
var iterations = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
var model = RiskModel.Load(path);
var extractor = new FeatureExtractor(IpLists.None);
var facts = new RequestFacts
{
    Ip = IPAddress.Parse("81.2.69.160"),
    UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/153.0.0.0 Safari/537.36",
    Method = "POST",
    Accept = "application/json, text/plain, */*",
    AcceptLanguage = "en-US,en;q=0.9",
    AcceptEncoding = "gzip, deflate, br, zstd",
    SecFetchSite = "same-origin",
    SecFetchMode = "cors",
    SecFetchDest = "empty",
    ContentType = "application/json",
    BodyLength = 60,
    Timestamp = DateTimeOffset.UtcNow,
};
facts.SetCounter(FeatureSchema.RequestsPerIpMinute, 1);
facts.SetCounter(FeatureSchema.FailuresPerAccount, 0);
var vector = new float[FeatureSchema.Count];
float sink = 0;

double Measure(string name, Action body)
{
    for (var i = 0; i < 20_000; i++)
    {
        body(); // warm-up: JIT, tiered compilation, the pool's first engines
    }

    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var allocated = GC.GetAllocatedBytesForCurrentThread();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < iterations; i++)
    {
        body();
    }

    clock.Stop();
    var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / iterations;
    var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)iterations;
    Console.WriteLine($"{name,-36} {clock.Elapsed.TotalMicroseconds / iterations,8:0.00} us wall {cpuUs,8:0.00} us CPU {bytes,8:0} B allocated per request");
    return cpuUs;
}

Console.WriteLine($"model {model.Version}, {iterations} requests per measurement, one thread");
Measure("extract", () => extractor.Extract(facts, vector));
Console.WriteLine($"scorer: {(model.UsesCompiledTrees ? "compiled trees" : "ML.NET engine (the trees could not be compiled)")}");
Measure("extract + score", () => { extractor.Extract(facts, vector); sink += model.Score(vector); });
Measure("extract + score, ML.NET engine", () => { extractor.Extract(facts, vector); sink += model.ScoreWithEngine(vector); });
Measure("extract + score + top-3 explanation", () => { extractor.Extract(facts, vector); sink += model.Explain(vector).Probability; });

// The user-agent analysis (isbot's patterns included) is cached per user-agent string; an attacker who sends a new
// string every time pays for the whole analysis. 4,096 distinct strings, more than fit between cache clears here.
var unique = Enumerable.Range(0, 4096).Select(i => facts.UserAgent!.Replace("537.36", $"537.{i}")).ToArray();
var next = 0;
extractor.UserAgents.Clear();
Measure("extract, a new user agent each time", () => { facts.UserAgent = unique[next++ & 4095]; extractor.UserAgents.Clear(); extractor.Extract(facts, vector); });
// Score alone over varied requests: one request again and again takes the same path through every tree, which the
// processor learns; real traffic does not. Vectors from the browser and crawler corpora's user agents, each under a
// browser's or a script's headers and some counters; then the same with 256 KB of other memory read between two
// scores (what the rest of a request and the other processes do to the caches). Only the score is timed.
var corpus = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "..", "data", "corpora");
if (Directory.Exists(corpus))
{
    var random = new Random(5);
    var vectors = File.ReadLines(Path.Combine(corpus, "browser-user-agents.tsv"))
        .Concat(File.ReadLines(Path.Combine(corpus, "crawler-user-agents.tsv")))
        .Where(line => line.Length > 0 && line[0] != '#')
        .Select(line =>
        {
            var browser = random.Next(2) == 0;
            var varied = new RequestFacts
            {
                Ip = facts.Ip, UserAgent = line[(line.LastIndexOf('\t') + 1)..], Method = "POST", ContentType = "application/json", BodyLength = 60,
                Accept = browser ? facts.Accept : "*/*", AcceptLanguage = browser ? facts.AcceptLanguage : null,
                SecFetchSite = browser ? "same-origin" : null, SecFetchMode = browser ? "cors" : null, SecFetchDest = browser ? "empty" : null,
                Timestamp = facts.Timestamp,
            };
            varied.SetCounter(FeatureSchema.RequestsPerIpMinute, random.Next(4) * 10);
            return extractor.Extract(varied);
        })
        .ToArray();
    var at = 0;
    Measure($"score, {vectors.Length} varied requests", () => sink += model.Score(vectors[at++ % vectors.Length]));
    var other = new byte[16 << 20];
    random.NextBytes(other);
    var timed = TimeSpan.Zero;
    var scored = 0;
    for (var i = 0; i < Math.Min(iterations, 200_000); i++)
    {
        var offset = (int)(((long)i * 262_144) % (other.Length - 262_144));
        for (var b = 0; b < 262_144; b += 64)
        {
            sink += other[offset + b] == 0 ? 1 : 0;
        }

        var started = Stopwatch.GetTimestamp();
        sink += model.Score(vectors[i % vectors.Length]);
        timed += Stopwatch.GetElapsedTime(started);
        scored++;
    }

    Console.WriteLine($"{"score, varied, 256 KB read between",-36} {timed.TotalMicroseconds / scored,8:0.00} us wall");
}

// The JA4 fingerprint of one TLS handshake: a real ClientHello (what .NET's SslStream sends, with SNI and ALPN h2 and
// http/1.1), captured from the stream it writes to.
var hello = ClientHello.Capture();
var ja4Length = 0;
Measure($"JA4 of a {hello.Length}-byte ClientHello", () => ja4Length += FraudGateway.Model.Ja4.Compute(hello)!.Length);
Console.WriteLine(sink > 0 && ja4Length > 0 ? "" : " ");

// Records what a TLS client writes first (its ClientHello) and then fails the handshake.
internal sealed class ClientHello : Stream
{
    private readonly MemoryStream _written = new();

    public static byte[] Capture()
    {
        using var capture = new ClientHello();
        using var tls = new System.Net.Security.SslStream(capture);
        try
        {
            tls.AuthenticateAsClient(new System.Net.Security.SslClientAuthenticationOptions
            {
                TargetHost = "login.example.org",
                ApplicationProtocols = [System.Net.Security.SslApplicationProtocol.Http2, System.Net.Security.SslApplicationProtocol.Http11],
            });
        }
        catch (IOException)
        {
        }

        return capture._written.ToArray();
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new IOException("no server: the hello is all we wanted");
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => _written.Write(buffer, offset, count);
}
