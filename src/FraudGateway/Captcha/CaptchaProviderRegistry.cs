using FraudGateway.Privacy;

namespace FraudGateway.Captcha;

// The providers of FraudGateway:Captcha:Providers, built once at start (secrets and URLs need a restart to change),
// picked by name from a policy.
internal sealed class CaptchaProviderRegistry
{
    private readonly Dictionary<string, ICaptchaProvider> _providers = new(StringComparer.OrdinalIgnoreCase);

    public CaptchaProviderRegistry(CaptchaOptions options, IHttpClientFactory httpClientFactory, SubjectHasher hasher, TimeProvider time)
    {
        foreach (var (name, provider) in options.Providers)
        {
            var type = Enum.Parse<CaptchaProviderType>(provider.Type, ignoreCase: true);
            _providers[name] = type == CaptchaProviderType.ProofOfWork
                ? new ProofOfWorkProvider(name, provider.Difficulty, hasher, time)
                : new SiteVerifyProvider(name, type, provider.SiteKey, provider.Secret,
                    provider.VerifyUrl is null ? SiteVerifyProvider.DefaultVerifyUrl(type) : new Uri(provider.VerifyUrl),
                    provider.Hostnames, provider.SendRemoteIp, httpClientFactory);
            if (provider.Simulated)
            {
                SimulatedProviders.Add(name);
            }
        }
    }

    public List<string> SimulatedProviders { get; } = [];

    public ICaptchaProvider? Find(string name) => _providers.GetValueOrDefault(name);
}
