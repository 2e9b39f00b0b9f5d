using FraudGateway.Validation;

namespace FraudGateway.Captcha;

// FraudGateway:Captcha (checked at start: providers are read then) and each policy's Captcha section.
internal static class CaptchaOptionsParser
{
    public const string Path = "FraudGateway:Captcha";

    public static void Validate(CaptchaOptions options, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(options.TokenHeader))
        {
            errors.Add($"{Path}:TokenHeader must not be empty.");
        }

        ConfigCheck.Range(options.MaxTokenAgeSeconds, 1, 3600, Path + ":MaxTokenAgeSeconds", errors);
        ConfigCheck.Range(options.ProviderTimeoutMs, 100, 10_000, Path + ":ProviderTimeoutMs", errors);
        ConfigCheck.Range(options.MaxBodyBytes, 1024, 1024 * 1024, Path + ":MaxBodyBytes", errors);
        ConfigCheck.Range(options.Pass.LifetimeSeconds, 0, 86_400, Path + ":Pass:LifetimeSeconds", errors);
        foreach (var (name, provider) in options.Providers)
        {
            var at = $"{Path}:Providers:{name}";
            if (!ConfigCheck.TryEnum<CaptchaProviderType>(provider.Type, out var type))
            {
                errors.Add($"{at}:Type '{provider.Type}' is unknown; use {ConfigCheck.Names<CaptchaProviderType>()}.");
                continue;
            }

            if (type == CaptchaProviderType.ProofOfWork)
            {
                ConfigCheck.Range(provider.Difficulty, 1, 32, at + ":Difficulty", errors);
                continue;
            }

            if (string.IsNullOrWhiteSpace(provider.SiteKey))
            {
                errors.Add($"{at}:SiteKey is required.");
            }

            if (string.IsNullOrWhiteSpace(provider.Secret))
            {
                errors.Add($"{at}:Secret is required (set it through the environment: FraudGateway__Captcha__Providers__{name}__Secret).");
            }

            if (provider.VerifyUrl is not null && (!Uri.TryCreate(provider.VerifyUrl, UriKind.Absolute, out var url)
                || (url.Scheme != Uri.UriSchemeHttps && !(provider.Simulated && url.Scheme == Uri.UriSchemeHttp))))
            {
                errors.Add($"{at}:VerifyUrl must be an absolute https URL (http only with Simulated: true).");
            }

            if (provider.Simulated && provider.VerifyUrl is null)
            {
                errors.Add($"{at}: Simulated needs the simulator's VerifyUrl.");
            }
        }
    }

    // Whether a policy section asks for captchas at all (other sections' checks depend on it).
    public static bool AsksForCaptcha(PolicyCaptchaOptions? options) => options is not null && options.Mode != CaptchaMode.Never;

    public static PolicyCaptcha? ParsePolicy(PolicyCaptchaOptions? options, CaptchaOptions global, string path, List<string> errors)
    {
        if (options is null)
        {
            return null;
        }

        var mode = options.Mode;
        if (mode != CaptchaMode.Never && (string.IsNullOrEmpty(options.Provider) || !global.Providers.ContainsKey(options.Provider)))
        {
            errors.Add($"{path}:Provider '{options.Provider}' is not defined under FraudGateway:Captcha:Providers.");
        }

        ConfigCheck.Range(options.MinScore, 0, 1, path + ":MinScore", errors);
        if (options.RiskyAfterQuotaFraction is <= 0 or > 1)
        {
            errors.Add($"{path}:RiskyAfterQuotaFraction must be more than 0 and at most 1 (was {options.RiskyAfterQuotaFraction}).");
        }

        return mode == CaptchaMode.Never ? null : new PolicyCaptcha
        {
            Mode = mode,
            Provider = options.Provider ?? "",
            Action = string.IsNullOrEmpty(options.Action) ? null : options.Action,
            MinScore = options.MinScore,
            RiskyAfterQuotaFraction = options.RiskyAfterQuotaFraction,
            OnProviderFailure = options.OnProviderFailure,
        };
    }
}
