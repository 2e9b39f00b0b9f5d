using System.Diagnostics;
using System.Security.Cryptography;
using YamlDotNet.RepresentationModel;

namespace FraudGateway.IntegrationTests.TestSupport;

// The top-level docker-compose.yml as docker-compose itself resolves it (Debian's docker-compose, no engine needed),
// with .env.example: what the gateway service is given, for tests that start the gateway binary the same way.
public static class ComposeFile
{
    public static readonly string Root = RepositoryRoot();

    private static readonly Lazy<string> EmptyEnvFile = new(() =>
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("fraudgateway-compose-").FullName, "empty.env");
        File.WriteAllText(path, "");
        return path;
    });

    public static Task<(int Exit, string Output)> RunAsync(params string[] arguments) => RunAsync(withEnvFile: true, arguments);

    // withEnvFile: false gives docker-compose an empty env file, as a fresh clone without .env has none (a .env
    // there would be ignored too).
    public static async Task<(int Exit, string Output)> RunAsync(bool withEnvFile, params string[] arguments)
    {
        var envFile = withEnvFile ? Path.Combine(Root, ".env.example") : EmptyEnvFile.Value;
        var start = new ProcessStartInfo("docker-compose", ["--env-file", envFile, "-f", Path.Combine(Root, "docker-compose.yml"), .. arguments])
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("docker-compose did not start (test.sh installs it).");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }

    // gateway-1's environment, the compose network's host names replaced by this test's loopback servers.
    public static async Task<Dictionary<string, string>> GatewayEnvironmentAsync(string redisEndpoint, string upstreamUrl, string simulatorUrl)
    {
        var (exit, output) = await RunAsync("config");
        Assert.True(exit == 0, output);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        var services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
        var gateway = (YamlMappingNode)services["gateway-1"];
        Assert.Equal("gateway", ((YamlScalarNode)((YamlMappingNode)gateway["build"])["target"]).Value);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in (YamlMappingNode)gateway["environment"])
        {
            environment[((YamlScalarNode)key).Value!] = (((YamlScalarNode)value).Value ?? "")
                .Replace("redis:6379", redisEndpoint, StringComparison.Ordinal)
                .Replace("http://sample-api:8080", upstreamUrl.TrimEnd('/'), StringComparison.Ordinal)
                .Replace("http://captcha-simulator:8080", simulatorUrl.TrimEnd('/'), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(environment.Values, v => v.Contains("sample-api:", StringComparison.Ordinal) || v.Contains("captcha-simulator:", StringComparison.Ordinal));
        return environment;
    }

    // The same with what an operator puts in .env instead of the examples, and a key prefix of its own.
    public static async Task<Dictionary<string, string>> GatewayEnvironmentWithSecretsAsync(string redisEndpoint, string upstreamUrl, string simulatorUrl, string apiKey)
    {
        var environment = await GatewayEnvironmentAsync(redisEndpoint, upstreamUrl, simulatorUrl);
        environment["FraudGateway__Management__ApiKey"] = apiKey;
        environment["FraudGateway__Privacy__HmacKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        environment["FraudGateway__Store__KeyPrefix"] = "compose" + Guid.NewGuid().ToString("N")[..8];
        return environment;
    }

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "docker-compose.yml")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new DirectoryNotFoundException("docker-compose.yml not found above the test assembly.");
    }
}
