using FraudGateway.State;

namespace FraudGateway.Captcha;

internal static class CaptchaServiceCollectionExtensions
{
    // Captcha and proof of work: the providers, passes, late answers, the stage, and the pooled HTTP client for the
    // providers' siteverify calls.
    public static IServiceCollection AddCaptcha(this IServiceCollection services, CaptchaOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<CaptchaProviderRegistry>();
        services.AddSingleton<CaptchaPass>();
        services.AddSingleton<CaptchaStage>();
        services.AddSingleton<LateAnswers>();
        services.AddSingleton<IAgedState>(sp => sp.GetRequiredService<LateAnswers>());
        services.AddSingleton<ProviderOutageLog>();
        // Bounded and pooled: a user waits at most ProviderTimeoutMs (LateAnswers), the call itself at most
        // LateAnswers.CallBound, so a late answer still serves the user's retry. No retries: a siteverify call is not
        // idempotent for every provider (a retried token is a duplicate).
        var timeout = TimeSpan.FromMilliseconds(options.ProviderTimeoutMs);
        services.AddHttpClient(SiteVerifyProvider.HttpClientName, client => client.Timeout = LateAnswers.CallBound)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectTimeout = timeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 64,
            });
        return services;
    }
}
