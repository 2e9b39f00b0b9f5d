using System.Diagnostics.Metrics;
using FraudGateway.Credentials;
using FraudGateway.Observation;
using FraudGateway.Tests.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace FraudGateway.Tests.TestSupport;

// The breach corpus service over a compiled file (the shipped one by default), with metrics of its own.
internal static class TestBreachedPasswords
{
    public static string ShippedFile => Path.Combine(RepoPaths.Root, "src", "FraudGateway", "data", "breached-passwords.bin");

    public static GatewayMetrics Metrics() => new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    public static BreachedPasswords Create(string? path = null, TimeProvider? time = null, bool enabled = true) =>
        new(new BreachedPasswordsOptions { Path = path ?? ShippedFile, Enabled = enabled }, time ?? new Microsoft.Extensions.Time.Testing.FakeTimeProvider(), Metrics(),
            NullLogger<BreachedPasswords>.Instance, new Environment(Path.GetTempPath()));

    private sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "FraudGateway.Tests";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
