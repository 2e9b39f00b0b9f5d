using FraudGateway.Captcha;
using FraudGateway.Configuration;
using FraudGateway.Observation;
using FraudGateway.State;

namespace FraudGateway;

/// <summary>
/// Publishes the series an operator watches at 0 from the start (store failures, captcha results, model reloads,
/// candidate disagreements), so a dashboard panel or an alert reads 0, not "No data", until the first event.
/// </summary>
internal sealed class MetricsBaseline(
    GatewayMetrics metrics,
    GatewaySettingsProvider settings,
    IGatewayStore store,
    CaptchaProviderRegistry captcha,
    Scoring.ModelHost models) : IHostedService
{
    // The store operations a request waits on: the ones whose failures the dashboard and alerts read.
    private static readonly string[] StoreOperations = ["count", "find-ban", "claim"];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (store.Name == "redis")
        {
            foreach (var operation in StoreOperations)
            {
                metrics.StoreFailure(operation, "timeout", 0);
                metrics.StoreFailure(operation, "error", 0);
            }
        }

        var policies = settings.Current.Policies.Values;
        foreach (var provider in policies.SelectMany(p => new[] { p.Scoring?.Ladder.ProofOfWork?.Provider, p.Scoring?.Ladder.Captcha?.Provider }).Concat(policies.Select(p => p.Captcha?.Provider)).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (captcha.Find(provider) is not null)
            {
                metrics.Captcha(provider, CaptchaCheck.Pass.Reason, 0);
                metrics.Captcha(provider, "required", 0);
            }
        }

        metrics.ModelReload("live", "loaded", 0);
        metrics.ModelReload("live", "failed", 0);
        if (models.CandidatePath is not null)
        {
            metrics.ModelReload("candidate", "loaded", 0);
            metrics.ModelReload("candidate", "failed", 0);
            foreach (var (name, policy) in settings.Current.Policies)
            {
                if (policy.Scoring is { Mode: not Scoring.ScoringMode.Off })
                {
                    foreach (var (live, candidate) in new[] { ("allow", "block"), ("block", "allow"), ("allow", "challenge"), ("challenge", "allow") })
                    {
                        metrics.ShadowDisagreement(name, live, candidate, 0);
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
