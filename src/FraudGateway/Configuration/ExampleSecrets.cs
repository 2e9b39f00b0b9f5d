namespace FraudGateway.Configuration;

// The secrets .env.example ships with (GatewayConfigLoaderTests keeps this list and that file the same). Anyone can
// read them, so outside the Development environment the gateway refuses to start with one of them: a compose
// deployment started from an unedited copy of .env.example fails loudly instead of running with a public API key.
internal static class ExampleSecrets
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal)
    {
        "example-admin-api-key-replace-me-0123456789",
        "example-hmac-key-replace-me-0123456789abcdef",
    };

    public static void Validate(FraudGatewayOptions options, IConfiguration configuration, List<string> errors)
    {
        // The host's environment (ASPNETCORE_ENVIRONMENT or DOTNET_ENVIRONMENT); unset means Production.
        var environment = configuration["environment"] ?? "Production";
        if (string.Equals(environment, "Development", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        Check(options.Management.ApiKey, "FraudGateway:Management:ApiKey");
        Check(options.Privacy.HmacKey, "FraudGateway:Privacy:HmacKey");
        for (var i = 0; i < options.Privacy.PreviousHmacKeys.Count; i++)
        {
            Check(options.Privacy.PreviousHmacKeys[i].Key, $"FraudGateway:Privacy:PreviousHmacKeys:{i}:Key");
        }

        // A simulated provider's secret selects the simulator's behaviour; it protects nothing.
        foreach (var (name, provider) in options.Captcha.Providers)
        {
            if (!provider.Simulated)
            {
                Check(provider.Secret, $"FraudGateway:Captcha:Providers:{name}:Secret");
            }
        }

        void Check(string? value, string key)
        {
            if (value is not null && Values.Contains(value))
            {
                errors.Add($"{key} is the example value from .env.example: set your own secret (the example is allowed only in the Development environment, not in {environment}).");
            }
        }
    }
}
