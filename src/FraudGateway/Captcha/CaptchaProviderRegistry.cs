using FraudGateway.Privacy;

namespace FraudGateway.Captcha;

// The providers of FraudGateway:Captcha:Providers, built once at start (secrets and URLs need a restart to change),
// picked by name from a policy. A self-hosted proof of work named BuiltInProofOfWork is always there (unless a provider
// of that name is configured): the challenge rung of every scoring policy that names none, so a challenge decision is
// always enforced and never needs a third party.
internal sealed class CaptchaProviderRegistry
{
    public const string BuiltInProofOfWork = "proof-of-work";

    public const int BuiltInDifficulty = 16;

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

        _providers.TryAdd(BuiltInProofOfWork, new ProofOfWorkProvider(BuiltInProofOfWork, BuiltInDifficulty, hasher, time));
    }

    public List<string> SimulatedProviders { get; } = [];

    public ICaptchaProvider? Find(string name) => _providers.GetValueOrDefault(name);
}
