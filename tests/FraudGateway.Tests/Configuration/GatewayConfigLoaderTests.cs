using FraudGateway.Configuration;
using FraudGateway.Counters;
using Microsoft.Extensions.Configuration;

namespace FraudGateway.Tests.Configuration;

public class GatewayConfigLoaderTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static readonly (string, string?)[] ValidBase =
    [
        ("Urls", "http://127.0.0.1:5000"),
        ("FraudGateway:Policies:login:OnStoreFailure", "FailClosed"),
        ("FraudGateway:Policies:login:Deny:0", "203.0.113.0/24"),
        ("ReverseProxy:Routes:auth:ClusterId", "c"),
        ("ReverseProxy:Routes:auth:Metadata:FraudGateway.Policy", "login"),
    ];

    [Fact]
    public void Load_ValidConfiguration_BuildsSettings()
    {
        var result = GatewayConfigLoader.Load(Config(ValidBase));

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Settings);
        Assert.Equal(StoreFailureMode.FailClosed, result.Settings.Policies["login"].OnStoreFailure);
        Assert.Equal(1, result.Settings.Policies["LOGIN"].Deny.Count);
    }

    [Fact]
    public void Load_ManyProblems_ReportsEveryOneInOneMessage()
    {
        var result = GatewayConfigLoader.Load(Config(
            ("Urls", "http://127.0.0.1:5000"),
            ("FraudGateway:Identity:TrustedProxies:0", "10.0.0.300"),
            ("FraudGateway:Identity:Ipv6PrefixLength", "129"),
            ("FraudGateway:AccessLists:Deny:0", "nope"),
            ("FraudGateway:Policies:login:Allow:0", "10.0.0.1/8"),
            ("FraudGateway:Management:Url", "http://127.0.0.1:5000"),
            ("FraudGateway:Store:OperationTimeoutMs", "0"),
            ("ReverseProxy:Routes:auth:Metadata:FraudGateway.Policy", "missing-policy")));

        Assert.Null(result.Settings);
        var message = new GatewayConfigurationException(result.Errors).Message;
        Assert.Contains("FraudGateway:Identity:TrustedProxies:0", message);
        Assert.Contains("Ipv6PrefixLength", message);
        Assert.Contains("FraudGateway:AccessLists:Deny:0", message);
        Assert.Contains("FraudGateway:Policies:login:Allow:0", message);
        Assert.Contains("management port must be separate", message);
        Assert.Contains("OperationTimeoutMs", message);
        Assert.Contains("ReverseProxy:Routes:auth names protection policy 'missing-policy'", message);
        Assert.Equal(7, result.Errors.Count);
    }

    [Theory]
    [InlineData("WarmupTimeoutMs", "0", "FraudGateway:Store:WarmupTimeoutMs must be between 1 and 10000 (was 0).")]
    [InlineData("WarmupRequests", "-1", "FraudGateway:Store:WarmupRequests must be between 0 and 1000000 (was -1).")]
    [InlineData("WarmupSeconds", "3601", "FraudGateway:Store:WarmupSeconds must be between 0 and 3600 (was 3601).")]
    public void Load_WarmupSettingOutOfRange_IsAStartupError(string setting, string value, string error)
    {
        var result = GatewayConfigLoader.Load(Config(
            ("Urls", "http://127.0.0.1:5000"),
            ("FraudGateway:Store:" + setting, value)));

        Assert.Null(result.Settings);
        Assert.Equal(error, Assert.Single(result.Errors));
    }

    [Theory]
    [InlineData("Decisions:Record", "Everything", "FraudGateway:Decisions:Record")]
    [InlineData("Decisions:TtlSeconds", "59", "FraudGateway:Decisions:TtlSeconds must be between 60 and 2592000 (was 59).")]
    [InlineData("Decisions:MaxEntriesPerPolicy", "0", "FraudGateway:Decisions:MaxEntriesPerPolicy must be between 1 and 1000000 (was 0).")]
    [InlineData("Management:AuditTtlSeconds", "60", "FraudGateway:Management:AuditTtlSeconds must be between 3600 and 34560000 (was 60).")]
    public void Load_DecisionAndAuditSettingOutOfRange_IsAStartupError(string setting, string value, string error)
    {
        var result = GatewayConfigLoader.Load(Config(
            ("Urls", "http://127.0.0.1:5000"),
            ("FraudGateway:" + setting, value)));

        Assert.Null(result.Settings);
        Assert.StartsWith(error, Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DecisionSettings_AreBound()
    {
        var result = GatewayConfigLoader.Load(Config(
            ("Urls", "http://127.0.0.1:5000"),
            ("FraudGateway:Decisions:Record", "all"),
            ("FraudGateway:Decisions:TtlSeconds", "3600"),
            ("FraudGateway:Decisions:MaxEntriesPerPolicy", "500")));

        Assert.Empty(result.Errors);
        Assert.Equal(FraudGateway.Decisions.DecisionRecording.All, result.Options.Decisions.Record);
        Assert.Equal(3600, result.Options.Decisions.TtlSeconds);
        Assert.Equal(500, result.Options.Decisions.MaxEntriesPerPolicy);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("257")]
    public void Load_MaxRequestsPerCallOutOfRange_IsAStartupError(string value)
    {
        var result = GatewayConfigLoader.Load(Config(
            ("Urls", "http://127.0.0.1:5000"),
            ("FraudGateway:Store:MaxRequestsPerCall", value)));

        Assert.Null(result.Settings);
        Assert.Equal($"FraudGateway:Store:MaxRequestsPerCall must be between 1 and 256 (was {value}).", Assert.Single(result.Errors));
    }

    [Fact]
    public void Load_ValueOfWrongType_IsReportedWithItsPathAlongsideOtherErrors()
    {
        var result = GatewayConfigLoader.Load(Config(
            ("FraudGateway:Identity:Ipv4PrefixLength", "twenty-four"),
            ("FraudGateway:Policies:login:OnStoreFailure", "FailSideways")));

        Assert.Equal(2, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.StartsWith("FraudGateway:Identity:"));
        Assert.Contains(result.Errors, e => e.StartsWith("FraudGateway:Policies:login:") || e.StartsWith("FraudGateway:Policies:login"));
    }

    [Fact]
    public void Load_UnknownSetting_IsAnErrorNotSilentlyIgnored()
    {
        var result = GatewayConfigLoader.Load(Config(("FraudGateway:Policies:login:Denny:0", "10.0.0.0/8")));

        Assert.Single(result.Errors);
        Assert.Contains("Denny", result.Errors[0]);
    }

    [Fact]
    public void Load_RedisWithoutHmacKey_IsAnError()
    {
        var result = GatewayConfigLoader.Load(Config(("ConnectionStrings:Redis", "127.0.0.1:6379")));

        Assert.Contains(result.Errors, e => e.Contains("HmacKey is required"));
    }

    [Fact]
    public void Load_PreviousHmacKeys_NeedAnIdAKeyAndAnEnd()
    {
        const string current = "current-hmac-key-0123456789abcdef0123";
        var result = GatewayConfigLoader.Load(Config(
            ("FraudGateway:Privacy:HmacKey", current),
            ("FraudGateway:Privacy:PreviousHmacKeys:0:Id", "current"),
            ("FraudGateway:Privacy:PreviousHmacKeys:0:Key", "short"),
            ("FraudGateway:Privacy:PreviousHmacKeys:1:Id", "2026-06"),
            ("FraudGateway:Privacy:PreviousHmacKeys:1:Key", current),
            ("FraudGateway:Privacy:PreviousHmacKeys:1:ValidUntil", "2026-12-31T00:00:00Z")));

        Assert.Contains(result.Errors, e => e.Contains("PreviousHmacKeys:0:Id must", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("PreviousHmacKeys:0:Key must be at least 32", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("PreviousHmacKeys:0:ValidUntil is required", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("PreviousHmacKeys:1:Key is the current HmacKey", StringComparison.Ordinal));

        var valid = GatewayConfigLoader.Load(Config(
            ("FraudGateway:Privacy:HmacKey", current),
            ("FraudGateway:Privacy:HmacKeyId", "2026-12"),
            ("FraudGateway:Privacy:PreviousHmacKeys:0:Id", "2026-06"),
            ("FraudGateway:Privacy:PreviousHmacKeys:0:Key", "previous-hmac-key-0123456789abcdef0123"),
            ("FraudGateway:Privacy:PreviousHmacKeys:0:ValidUntil", "2026-12-31T00:00:00Z")));
        Assert.Empty(valid.Errors);
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero), valid.Options.Privacy.PreviousHmacKeys[0].ValidUntil);
    }

    // The secrets .env.example ships with are refused outside Development, and the list the gateway checks is the
    // file's own (so editing one without the other fails here).
    [Theory]
    [InlineData(null, true)]
    [InlineData("Production", true)]
    [InlineData("Staging", true)]
    [InlineData("Development", false)]
    public void Load_TheExampleSecrets_AreRefusedOutsideDevelopment(string? environment, bool refused)
    {
        var example = File.ReadAllLines(Path.Combine(RepositoryRoot(), ".env.example"))
            .Where(line => line.Length > 0 && line[0] != '#' && line.Contains('=', StringComparison.Ordinal))
            .ToDictionary(line => line[..line.IndexOf('=', StringComparison.Ordinal)], line => line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.Contains(example["FRAUDGATEWAY_API_KEY"], FraudGateway.Configuration.ExampleSecrets.Values);
        Assert.Contains(example["FRAUDGATEWAY_HMAC_KEY"], FraudGateway.Configuration.ExampleSecrets.Values);

        var result = GatewayConfigLoader.Load(Config([.. ValidBase,
            ("environment", environment),
            ("FraudGateway:Management:ApiKey", example["FRAUDGATEWAY_API_KEY"]),
            ("FraudGateway:Privacy:HmacKey", example["FRAUDGATEWAY_HMAC_KEY"]),
            ("FraudGateway:Captcha:Providers:real:Type", "Turnstile"),
            ("FraudGateway:Captcha:Providers:real:Secret", example["FRAUDGATEWAY_API_KEY"]),
            ("FraudGateway:Captcha:Providers:sim:Type", "Turnstile"),
            ("FraudGateway:Captcha:Providers:sim:Simulated", "true"),
            ("FraudGateway:Captcha:Providers:sim:VerifyUrl", "http://127.0.0.1:9/siteverify"),
            ("FraudGateway:Captcha:Providers:sim:Secret", example["FRAUDGATEWAY_API_KEY"])]));

        var about = result.Errors.Where(e => e.Contains("example value from .env.example", StringComparison.Ordinal)).ToList();
        Assert.Equal(refused ? 3 : 0, about.Count);
        Assert.DoesNotContain(about, e => e.Contains("Providers:sim", StringComparison.Ordinal));
    }

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, ".env.example")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new DirectoryNotFoundException(".env.example not found above the test assembly.");
    }

    [Fact]
    public void Load_Reload_SkipsStartOnlySettings()
    {
        var config = Config(("Urls", "http://127.0.0.1:5001"), ("FraudGateway:Management:Url", "http://127.0.0.1:5001"));

        Assert.NotEmpty(GatewayConfigLoader.Load(config).Errors);
        Assert.Empty(GatewayConfigLoader.Load(config, startup: false).Errors);
    }
}
