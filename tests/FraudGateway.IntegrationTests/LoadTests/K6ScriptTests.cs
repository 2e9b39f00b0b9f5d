using System.Diagnostics;
using System.Text;
using FraudGateway.IntegrationTests.TestSupport;

namespace FraudGateway.IntegrationTests.LoadTests;

// Every k6 script in load-tests/k6 runs for a few iterations against the real gateway, configured exactly as
// docker-compose.yml configures it (on Redis, in front of the SampleApi and the captcha simulator), through the k6
// compatibility runner (load-tests/k6/compat/run.mjs; no k6 binary can be installed here). Each script's own checks
// and thresholds decide: a gateway change that breaks a script's assumption fails here.
[Collection(RedisCollection.Name)]
public class K6ScriptTests(RedisServer redis, Upstreams upstreams)
{
    // Contact-form scripts wait FILL seconds before submitting, for real (the form token's minimum is 3 s).
    public static TheoryData<string, string[]> Scripts => new()
    {
        { "login.ts", ["--iterations", "10"] },
        { "contact-form.ts", ["--iterations", "2", "-e", "FILL=3.2"] },
        { "credential-stuffing.ts", ["--iterations", "10"] },
        { "contact-spam.ts", ["--iterations", "honeypot=2", "--iterations", "too_fast=3", "--iterations", "no_token=3", "--iterations", "duplicates=4", "--iterations", "disposable=1", "-e", "FILL=3.2"] },
        { "signup-abuse.ts", [] },
        { "brute-force.ts", [] },
        { "ipv6-rotation.ts", [] },
        { "distributed-stuffing.ts", ["--iterations", "300", "-e", "WARMUP=120"] },
        { "proof-of-work.ts", ["--iterations", "2", "-e", "FILL=3.2"] },
        { "captcha.ts", [] },
    };

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_PassesItsChecksAndThresholds_AgainstTheComposeConfiguration(string script, string[] arguments)
    {
        var upstream = upstreams.SampleApi;
        var simulator = upstreams.Simulator;
        await using var gateway = await GatewayProcess.StartShippedAsync(
            await ComposeFile.GatewayEnvironmentWithSecretsAsync(redis.Endpoint, upstream.Url, simulator.Url, "k6-script-tests-api-key-0123456789"));

        await RunAsync(script, [.. arguments, "-e", "BASE_URL=" + gateway.PublicUrl]);
    }

    // The scripts one after the other against one gateway, as a load tester runs them: each brings its own accounts
    // and addresses, so a brute force (run twice) locks out nobody another script logs in as, and no stuffing run
    // leaves victims' failures for the next.
    [Fact]
    public async Task Scripts_RunOneAfterAnother_AgainstOneGateway()
    {
        var upstream = upstreams.SampleApi;
        var simulator = upstreams.Simulator;
        await using var gateway = await GatewayProcess.StartShippedAsync(
            await ComposeFile.GatewayEnvironmentWithSecretsAsync(redis.Endpoint, upstream.Url, simulator.Url, "k6-script-tests-api-key-0123456789"));

        var run = 0;
        foreach (var script in new[] { "brute-force.ts", "login.ts", "credential-stuffing.ts", "brute-force.ts", "credential-stuffing.ts", "login.ts" })
        {
            // RUN_ID names each run, as two runs a load tester starts at different times are named by their start.
            await RunAsync(script, ["--iterations", script == "brute-force.ts" ? "30" : "10", "-e", $"RUN_ID={++run}", "-e", "BASE_URL=" + gateway.PublicUrl]);
        }
    }

    // The mixed run on two gateways sharing one Redis, as in the compose file: people and the attack interleaved.
    [Fact]
    public async Task Mixed_PeopleGetThrough_WhileTheAttackIsRefused_OnTwoGateways()
    {
        var upstream = upstreams.SampleApi;
        var simulator = upstreams.Simulator;
        var environment = await ComposeFile.GatewayEnvironmentWithSecretsAsync(redis.Endpoint, upstream.Url, simulator.Url, "k6-script-tests-api-key-0123456789");
        await using var first = await GatewayProcess.StartShippedAsync(environment);
        await using var second = await GatewayProcess.StartShippedAsync(environment);

        await RunAsync("mixed.ts", ["--iterations", "30", "-e", "WARMUP=0", "-e", "THINK=0.05", "-e", "BASE_URL=" + first.PublicUrl, "-e", "BASE_URL_2=" + second.PublicUrl]);
    }

    private static async Task RunAsync(string script, string[] arguments)
    {
        var k6 = Path.Combine(ComposeFile.Root, "load-tests", "k6");
        var start = new ProcessStartInfo("node", [Path.Combine(k6, "compat", "run.mjs"), Path.Combine(k6, script), .. arguments])
        {
            WorkingDirectory = k6,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start (test.sh installs it).");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        output.Append(await stdout).Append(await stderr);
        Assert.True(process.ExitCode == 0, $"{script} exited with {process.ExitCode}:\n{output}");
        Assert.Contains($"k6-compat: {script}:", output.ToString(), StringComparison.Ordinal);
    }
}
