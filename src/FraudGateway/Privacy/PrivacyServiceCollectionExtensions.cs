namespace FraudGateway.Privacy;

internal static class PrivacyServiceCollectionExtensions
{
    // The subject hasher: the configured HMAC key (and the previous keys still valid during a rotation), or an
    // ephemeral key when none is set (a single instance whose subjects need not outlive it).
    public static IServiceCollection AddSubjectHasher(this IServiceCollection services, PrivacyOptions options) =>
        services.AddSingleton(options.HmacKey.Length > 0
            ? new SubjectHasher(options.HmacKey, options.HmacKeyId, previous: options.PreviousHmacKeys
                .Select(p => new SubjectHasher(p.Key, p.Id, p.ValidUntil)).ToList())
            : SubjectHasher.CreateEphemeral());
}
