using System.Diagnostics;
using FraudGateway.RateLimiting;
using FraudGateway.State;
using FraudGateway.State.InMemory;

// Usage: StoreBench [threads] [KB read between two requests] [requests per thread]
// Prints µs per request of InMemoryGatewayStore.CountAsync for two request shapes, 4,096 clients: the benchmark's
// rate-limits route (per address a minute and an hour, per prefix a minute, the route a minute: three groups) and the
// login policy's counted and checked windows (seven windows in four groups: address, prefix, account, route). Each
// thread walks the clients in its own order; the route's window is shared by all threads, as in the gateway.
var threads = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1;
var readBetween = (args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0) * 1024;
var requests = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 400_000;
const int Clients = 4096;

var errors = new List<string>();
const int Unlimited = 1_000_000_000;
var rules = RateLimitRuleParser.Parse("bench",
[
    new() { Name = "ip-minute", Key = "ip", Limit = Unlimited, WindowSeconds = 60 },
    new() { Name = "ip-hour", Key = "ip", Limit = Unlimited, WindowSeconds = 3600 },
    new() { Name = "prefix-minute", Key = "prefix", Limit = Unlimited, WindowSeconds = 60 },
    new() { Name = "route-minute", Key = "route", Limit = Unlimited, WindowSeconds = 60 },
    new() { Name = "route-bucket", Key = "route", Limit = Unlimited, WindowSeconds = 60, Algorithm = "TokenBucket", Burst = Unlimited },
    new() { Name = "brute-force", Key = "account+ip", Limit = Unlimited, WindowSeconds = 3600 },
    new() { Name = "ip-failures", Key = "ip", Limit = Unlimited, WindowSeconds = 86400, Algorithm = "TokenBucket", Counts = RateLimitCounts.Failures },
    new() { Name = "account-failures", Key = "account", Limit = Unlimited, WindowSeconds = 3600, Counts = RateLimitCounts.Failures },
], "bench", errors, hasAccountField: true, hasLoginOutcome: true);
if (errors.Count > 0)
{
    throw new InvalidOperationException(string.Join("; ", errors));
}

string Tag(char kind, int i) => kind + ":" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes((i * 31) + kind))[..16]);
var route = Tag('r', 0);
CounterLimit Limit(int slot, RateLimitRule rule, CounterMode mode = CounterMode.Count, string? suffix = null) => new(slot, rule, suffix ?? StoreKeys.LimitSuffix(rule), mode);

// Each request its own tag strings, as the gateway makes them per request (not the store's own copies).
CounterRequest LimitsRoute(int c)
{
    var ip = new CounterGroup(Tag('i', c)) { Limits = { Limit(0, rules[0]), Limit(1, rules[1]) } };
    var prefix = new CounterGroup(Tag('p', c / 16)) { Limits = { Limit(2, rules[2]) } };
    var all = new CounterGroup(route) { Limits = { Limit(3, rules[3]) } };
    return new CounterRequest([ip, prefix, all], 4);
}

CounterRequest Login(int c)
{
    var ip = new CounterGroup(Tag('i', c)) { Limits = { Limit(0, rules[0]), Limit(1, rules[1]), Limit(6, rules[6], CounterMode.Check) } };
    var prefix = new CounterGroup(Tag('p', c / 16)) { Limits = { Limit(2, rules[2]) } };
    var account = new CounterGroup(Tag('a', c % 1000))
    {
        Limits = { Limit(5, rules[5], suffix: StoreKeys.WithCombination(StoreKeys.LimitSuffix(rules[5]), [ip.Tag])), Limit(7, rules[7], CounterMode.Check) },
    };
    var all = new CounterGroup(route) { Limits = { Limit(4, rules[4]) } };
    return new CounterRequest([ip, prefix, account, all], 8);
}

var other = new byte[16 << 20];
new Random(1).NextBytes(other);
Console.WriteLine($"{threads} thread(s), {readBetween / 1024} KB of other memory read between two requests, {requests} requests per thread and shape");
foreach (var (name, shape) in new (string, Func<int, CounterRequest>)[] { ("rate-limits route", LimitsRoute), ("login policy", Login) })
{
    var store = new InMemoryGatewayStore(TimeProvider.System);
    var prepared = Enumerable.Range(0, 2 * Clients).Select(i => shape(i % Clients)).ToArray();
    for (var round = 0; round < 3; round++)
    {
        var perThread = new double[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            long ticks = 0, sink = 0;
            for (var i = 0; i < requests; i++)
            {
                if (readBetween > 0)
                {
                    var offset = (int)(((long)i * readBetween) % (other.Length - readBetween));
                    for (var b = 0; b < readBetween; b += 64)
                    {
                        sink += other[offset + b];
                    }
                }

                var started = Stopwatch.GetTimestamp();
                // The in-memory store answers synchronously: the task is complete when it returns.
                var pending = store.CountAsync(prepared[((i * 7) + (thread * 4099)) % prepared.Length], default);
                var result = pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
                ticks += Stopwatch.GetTimestamp() - started;
                sink += result.Decisions.Length;
            }

            perThread[thread] = ticks * 1e6 / Stopwatch.Frequency / requests;
            GC.KeepAlive(sink);
        });

        // Round 0 warms up (tiered compilation, the clients' first windows).
        if (round > 0)
        {
            Console.WriteLine($"{name,-18} round {round}: {string.Join(" ", perThread.Select(us => us.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))} µs per request");
        }
    }
}
