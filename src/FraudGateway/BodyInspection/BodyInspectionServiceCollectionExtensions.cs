namespace FraudGateway.BodyInspection;

internal static class BodyInspectionServiceCollectionExtensions
{
    // Body inspection: the stage, signed form tokens, the disposable e-mail domain list.
    public static IServiceCollection AddBodyInspection(this IServiceCollection services, EmailDomainsOptions emailDomains)
    {
        services.AddSingleton<BodyInspectionStage>();
        services.AddSingleton<FormTokens>();
        services.AddSingleton(emailDomains);
        services.AddSingleton<DisposableEmailDomains>();
        return services;
    }
}
