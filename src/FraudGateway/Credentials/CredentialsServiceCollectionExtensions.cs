namespace FraudGateway.Credentials;

internal static class CredentialsServiceCollectionExtensions
{
    // Leaked-credential detection: the breach corpus (loaded at start, reloaded when replaced).
    public static IServiceCollection AddBreachedPasswords(this IServiceCollection services, BreachedPasswordsOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<BreachedPasswords>();
        services.AddHostedService(sp => sp.GetRequiredService<BreachedPasswords>());
        return services;
    }
}
