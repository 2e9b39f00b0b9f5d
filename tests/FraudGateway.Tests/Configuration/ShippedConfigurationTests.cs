using FraudGateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace FraudGateway.Tests.Configuration;

// The demo configuration the README starts the gateway with must always validate.
public class ShippedConfigurationTests
{
    private static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FraudGateway.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }

    [Fact]
    public void Load_ShippedAppSettings_IsValid()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(RepoFile("src/FraudGateway/appsettings.json")).Build();

        var result = GatewayConfigLoader.Load(configuration);

        Assert.Empty(result.Errors);
        Assert.Equal(["contact-form", "login", "signup"], result.Settings!.Policies.Keys.Order());
        // The operator's nine limits and the site-wide detector's three windows (attempts, successes, breached passwords).
        Assert.Equal(9, result.Settings.Policies["login"].RateLimits.Count(r => !r.Internal));
        Assert.Equal(12, result.Settings.Policies["login"].RateLimits.Length);
        Assert.True(result.Settings.Policies["login"].HasFailureLimits);
        Assert.NotNull(result.Settings.Policies["login"].Defense?.TrustedDevices);
        Assert.Equal("pow", result.Settings.Policies["login"].Scoring!.Ladder.ProofOfWork!.Provider);
        Assert.Equal("pow", result.Settings.Policies["contact-form"].Scoring!.Ladder.ProofOfWork!.Provider);
        Assert.Contains(PolicyRouteConfigFilter.RoutePolicies(configuration), r => r.RouteId == "auth" && r.Policy == "login");
        Assert.Contains(PolicyRouteConfigFilter.RoutePolicies(configuration), r => r.RouteId == "signup" && r.Policy == "signup");
    }
}
