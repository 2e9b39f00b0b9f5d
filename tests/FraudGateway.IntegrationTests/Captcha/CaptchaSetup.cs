using System.Text.Json.Nodes;
using CaptchaSimulator;
using FraudGateway.IntegrationTests.TestSupport;
using static FraudGateway.IntegrationTests.TestSupport.HttpExtensions;

namespace FraudGateway.IntegrationTests.Captcha;

// The set-up the captcha tests share: the login policy requires a captcha from one provider ("main"), verified by the
// collection's captcha simulator, in front of its SampleApi; and alice's login carrying a simulator token.
internal static class CaptchaSetup
{
    // The provider timeout is the longest allowed unless a test is about timing out: a busy machine's first siteverify
    // call must not turn a test of the provider's verdict into a timeout.
    public static JsonObject Config(Upstreams upstreams, string type = "Turnstile", string secret = SimulatorSecrets.AlwaysPasses,
        string onFailure = "FailClosed", string? action = null, string? verifyUrl = null, int timeoutMs = 10_000)
    {
        var config = GatewayConfig.Default(upstreams.SampleApi.Url);
        var gateway = (JsonObject)config["FraudGateway"]!;
        var provider = type == "ProofOfWork"
            ? new JsonObject { ["Type"] = type, ["Difficulty"] = 8 }
            : new JsonObject
            {
                ["Type"] = type, ["SiteKey"] = "site-key-" + type, ["Secret"] = secret, ["Simulated"] = true,
                ["VerifyUrl"] = verifyUrl ?? VerifyUrl(upstreams.Simulator, type), ["Hostnames"] = new JsonArray("localhost", "example.com"),
            };
        gateway["Captcha"] = new JsonObject
        {
            ["ProviderTimeoutMs"] = timeoutMs,
            ["Providers"] = new JsonObject { ["main"] = provider },
        };
        gateway["Policies"]!["login"]!["Captcha"] = new JsonObject { ["Mode"] = "Always", ["Provider"] = "main", ["OnProviderFailure"] = onFailure, ["Action"] = action };
        return config;
    }

    public static string VerifyUrl(CaptchaSimulatorServer simulator, string type) => type switch
    {
        "Turnstile" => simulator.Url + "/turnstile/v0/siteverify",
        "HCaptcha" => simulator.Url + "/hcaptcha/siteverify",
        _ => simulator.Url + "/recaptcha/api/siteverify",
    };

    public static HttpRequestMessage LoginWith(string? token, string ip = "100.64.1.1", string userAgent = "test-browser/1.0")
    {
        var request = Login("alice", "correct-horse-battery", ip);
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Captcha-Token", token);
        }

        return request;
    }

    // A token the simulator describes: the hostname, action, score and age (seconds) it reports for it.
    public static string NewToken(string hostname = "example.com", string action = "-", string score = "-", int age = 0) =>
        $"sim~{hostname}~{action}~{score}~{age}~{Guid.NewGuid():N}";
}
