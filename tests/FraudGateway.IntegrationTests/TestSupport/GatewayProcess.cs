using System.Diagnostics;
using System.Text.Json.Nodes;

namespace FraudGateway.IntegrationTests.TestSupport;

// The gateway as its own OS process (the built FraudGateway.dll), for tests that need several real instances.
public sealed class GatewayProcess : RunningGateway
{
    private readonly Process _process;
    private readonly string _directory;

    private GatewayProcess(Process process, string directory, GatewayUrls urls)
        : base(urls)
    {
        _process = process;
        _directory = directory;
    }

    // The folder the process was started in (its content root, for StartAsync): its appsettings.json can be edited.
    public string Directory => _directory;

    // Every line the process wrote to standard output or standard error so far.
    public System.Collections.Concurrent.ConcurrentQueue<string> Output { get; } = new();

    // prepare: puts files into the process's folder (its content root) before it starts.
    public static async Task<GatewayProcess> StartAsync(JsonObject config, IDictionary<string, string> environment, Action<string>? prepare = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("fraudgateway-process-").FullName;
        var urls = GatewayUrls.Next();
        config = Placed(config, urls);
        config["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } };
        await File.WriteAllTextAsync(Path.Combine(directory, "appsettings.json"), config.ToJsonString());
        prepare?.Invoke(directory);

        return await LaunchAsync(directory, directory, urls, environment);
    }

    // The gateway with the configuration it ships with (its own appsettings.json and model, as in the container
    // image), configured by environment variables only, on loopback ports chosen here (Urls and Management:Url).
    public static Task<GatewayProcess> StartShippedAsync(IDictionary<string, string> environment)
    {
        var urls = GatewayUrls.Next();
        var withPorts = new Dictionary<string, string>(environment) { ["Urls"] = urls.Public, ["FraudGateway__Management__Url"] = urls.Management };
        return LaunchAsync(System.IO.Directory.CreateTempSubdirectory("fraudgateway-process-").FullName, GatewayDirectory(), urls, withPorts);
    }

    private static async Task<GatewayProcess> LaunchAsync(string directory, string contentRoot, GatewayUrls urls, IDictionary<string, string> environment)
    {
        var process = Run(contentRoot, environment, "--contentRoot", contentRoot);
        var gateway = new GatewayProcess(process, directory, urls);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                gateway.Output.Enqueue(line.Data);
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                gateway.Output.Enqueue(line.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if ((await probe.GetAsync(urls.Management + "/readyz")).IsSuccessStatusCode)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                var exited = process.HasExited;
                await Task.Delay(200);
                var output = string.Join("\n", gateway.Output);
                await gateway.DisposeAsync();
                throw new GatewayProcessFailedException($"The gateway process did not become ready (exited: {exited}). Output:\n{output}");
            }

            await Task.Delay(100);
        }
    }

    // Runs the gateway until it exits by itself (for start-up failures): its exit code and everything it wrote.
    // The minute is a bound against a hang, not a timing assertion: a failing start exits within seconds.
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string workingDirectory, IDictionary<string, string> environment, params string[] args)
    {
        using var process = Run(workingDirectory, environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new GatewayProcessFailedException("The gateway did not exit by itself within a minute.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    // `dotnet FraudGateway.dll args` in the folder with the environment added, its output redirected.
    private static Process Run(string workingDirectory, IDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [GatewayDll(), .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("The gateway process did not start.");
    }

    // The gateway's build output folder: its shipped appsettings.json and model.
    public static string GatewayDirectory() => Path.GetDirectoryName(GatewayDll())!;

    // The gateway's own build output, next to this test assembly's configuration (Debug or Release).
    private static string GatewayDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FraudGateway.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root?.FullName ?? "", "src", "FraudGateway", "bin", configuration, "net10.0", "FraudGateway.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build the solution first: the gateway's output is missing.", dll);
    }

    protected override async ValueTask StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        System.IO.Directory.Delete(_directory, recursive: true);
    }
}

public sealed class GatewayProcessFailedException(string message) : Exception(message);
