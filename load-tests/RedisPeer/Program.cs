using System.Net;
using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

// The benchmark's .NET peer: YARP with the .NET ecosystem's Redis rate limiter (RedisRateLimiting, sliding windows
// in Redis, one limiter per partition) holding the same four limits as the gateway's benchmark policy "ratelimits"
// (per address a minute and an hour, per /24 a minute, on the whole route a minute), chained, the client named by
// X-Forwarded-For as the gateway trusts it. Same routes as bare YARP (--config).
//   dotnet RedisPeer.dll --config appsettings.json --redis 127.0.0.1:6379 --urls http://127.0.0.1:5192
var builder = WebApplication.CreateSlimBuilder(args);
var configPath = builder.Configuration["config"] ?? throw new InvalidOperationException("--config <appsettings.json> is required.");
// Only the ReverseProxy section is taken from that file (as BareYarp does); the listen URL comes from --urls.
var routes = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(configPath), optional: false).Build().GetSection("ReverseProxy");
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
var redis = await ConnectionMultiplexer.ConnectAsync(builder.Configuration["redis"] ?? throw new InvalidOperationException("--redis <host:port> is required."));
const int Limit = 1_000_000_000;

RedisSlidingWindowRateLimiterOptions Window(TimeSpan window) => new() { ConnectionMultiplexerFactory = () => redis, PermitLimit = Limit, Window = window };

static string Client(HttpContext context)
{
    var forwarded = context.Request.Headers["X-Forwarded-For"].ToString();
    var last = forwarded.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
    return last is not null && IPAddress.TryParse(last, out var address) ? address.ToString() : context.Connection.RemoteIpAddress?.ToString() ?? "";
}

static string Prefix(string address) => IPAddress.TryParse(address, out var parsed) && parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
    ? new IPNetwork(new IPAddress(parsed.GetAddressBytes()[..3].Concat(new byte[1]).ToArray()), 24).ToString()
    : address;

builder.Services.AddRateLimiter(options =>
{
    options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
    options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<HttpContext, string>(c => RedisRateLimitPartition.GetSlidingWindowRateLimiter("ip-minute:" + Client(c), _ => Window(TimeSpan.FromMinutes(1)))),
        PartitionedRateLimiter.Create<HttpContext, string>(c => RedisRateLimitPartition.GetSlidingWindowRateLimiter("ip-hour:" + Client(c), _ => Window(TimeSpan.FromHours(1)))),
        PartitionedRateLimiter.Create<HttpContext, string>(c => RedisRateLimitPartition.GetSlidingWindowRateLimiter("prefix-minute:" + Prefix(Client(c)), _ => Window(TimeSpan.FromMinutes(1)))),
        PartitionedRateLimiter.Create<HttpContext, string>(_ => RedisRateLimitPartition.GetSlidingWindowRateLimiter("route-minute", _ => Window(TimeSpan.FromMinutes(1)))));
});
builder.Services.AddReverseProxy().LoadFromConfig(routes);

var app = builder.Build();
app.UseRateLimiter();
app.MapReverseProxy();
app.Run();
