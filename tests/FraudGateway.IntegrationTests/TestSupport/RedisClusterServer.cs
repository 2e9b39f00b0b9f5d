using System.Diagnostics;
using StackExchange.Redis;

namespace FraudGateway.IntegrationTests.TestSupport;

// A real 3-master Redis Cluster on loopback: three redis-server --cluster-enabled yes, joined with
// redis-cli --cluster create. FRAUDGATEWAY_TEST_REDIS_CLUSTER (host:port,host:port,...) uses an existing one instead.
public sealed class RedisClusterServer : IAsyncLifetime
{
    private readonly List<Process> _nodes = [];
    private string? _directory;

    public string ConnectionString { get; private set; } = "";

    public ConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("FRAUDGATEWAY_TEST_REDIS_CLUSTER");
        if (string.IsNullOrWhiteSpace(external))
        {
            _directory = Directory.CreateTempSubdirectory("fraudgateway-cluster-").FullName;
            var ports = Enumerable.Range(0, 3).Select(_ => FreePort.Next()).Distinct().ToList();
            foreach (var port in ports)
            {
                _nodes.Add(Start("redis-server", $"--port {port} --bind 127.0.0.1 --cluster-enabled yes --cluster-config-file nodes-{port}.conf --save \"\" --appendonly no"));
            }

            var endpoints = string.Join(" ", ports.Select(p => $"127.0.0.1:{p}"));
            foreach (var port in ports)
            {
                await FreePort.WaitUntilOpenAsync(port);
            }

            using var create = Start("redis-cli", $"--cluster create {endpoints} --cluster-replicas 0 --cluster-yes");
            await create.WaitForExitAsync();
            if (create.ExitCode != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed: {await create.StandardOutput.ReadToEndAsync()} {await create.StandardError.ReadToEndAsync()}");
            }

            external = string.Join(",", ports.Select(p => $"127.0.0.1:{p}"));
        }

        ConnectionString = external;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            Connection = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},allowAdmin=true,connectTimeout=2000");
            var state = (string?)await Connection.GetServers()[0].ExecuteAsync("CLUSTER", "INFO");
            if (state?.Contains("cluster_state:ok") == true && Connection.GetServers().Count(s => !s.IsReplica) >= 3)
            {
                return;
            }

            await Connection.DisposeAsync();
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The Redis Cluster at {ConnectionString} did not reach cluster_state:ok.");
            }

            await Task.Delay(200);
        }
    }

    public IEnumerable<IServer> Masters => Connection.GetServers().Where(s => !s.IsReplica);

    private Process Start(string file, string arguments)
    {
        try
        {
            return Process.Start(new ProcessStartInfo(file, arguments)
            {
                WorkingDirectory = _directory ?? Path.GetTempPath(),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException($"{file} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{file} is not installed. Run ./test.sh, which installs redis-server.", e);
        }
    }

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        foreach (var node in _nodes)
        {
            if (!node.HasExited)
            {
                node.Kill();
                await node.WaitForExitAsync();
            }

            node.Dispose();
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterServer>, ICollectionFixture<Upstreams>
{
    public const string Name = "redis-cluster";
}
