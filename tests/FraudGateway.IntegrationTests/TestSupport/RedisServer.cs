using System.Diagnostics;
using StackExchange.Redis;

namespace FraudGateway.IntegrationTests.TestSupport;

// A real redis-server for the tests. test.sh starts one and passes it in FRAUDGATEWAY_TEST_REDIS;
// without that, the fixture starts its own on a free loopback port. No Redis at all is a test failure
// with a clear message, never a silent skip.
public sealed class RedisServer : IAsyncLifetime
{
    private Process? _process;

    public string Endpoint { get; private set; } = "";

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("FRAUDGATEWAY_TEST_REDIS");
        if (!string.IsNullOrWhiteSpace(external))
        {
            Endpoint = external;
        }
        else
        {
            var port = FreePort.Next();
            Endpoint = $"127.0.0.1:{port}";
            try
            {
                _process = Process.Start(new ProcessStartInfo("redis-server", $"--port {port} --bind 127.0.0.1 --save \"\" --appendonly no")
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                }) ?? throw new InvalidOperationException("redis-server did not start.");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("redis-server is not installed. Run ./test.sh, which installs it, or set FRAUDGATEWAY_TEST_REDIS=host:port.", e);
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                Connection = await ConnectionMultiplexer.ConnectAsync($"{Endpoint},allowAdmin=true,connectTimeout=1000");
                await Connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    public string ConnectionString => $"{Endpoint},allowAdmin=true";

    // How often Redis has run one command, from INFO commandstats ("cmdstat_get:calls=12,usec=...").
    public async Task<long> CommandCallsAsync(string command)
    {
        var info = await Connection.GetServers()[0].InfoAsync("commandstats");
        var stat = info.SelectMany(g => g).FirstOrDefault(kv => kv.Key == "cmdstat_" + command).Value;
        return stat is null ? 0 : long.Parse(stat.Split(',')[0]["calls=".Length..]);
    }

    public async Task DisposeAsync()
    {
        await Connection.DisposeAsync();
        if (_process is not null)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}

// One redis-server and one set of upstreams for every test that uses them (they run one after another).
[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>, ICollectionFixture<Upstreams>
{
    public const string Name = "redis";
}
