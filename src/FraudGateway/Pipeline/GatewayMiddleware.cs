using FraudGateway.Decisions;
using FraudGateway.Configuration;
using FraudGateway.Counters;
using FraudGateway.Observation;
using FraudGateway.Problems;
using Yarp.ReverseProxy.Model;

namespace FraudGateway.Pipeline;

// Runs inside YARP's proxy pipeline, after the route is matched. A route without a policy costs one
// metadata lookup and goes straight on; a protected route runs the stages, then forwards or answers.
internal sealed partial class GatewayMiddleware(
    RequestDelegate next,
    GatewayPipeline pipeline,
    GatewaySettingsProvider settings,
    DecisionRecorder recorder,
    LoginOutcomeObserver loginOutcomes,
    Defense.AttemptRecorder attempts,
    Credentials.BreachedPasswords breachedPasswords,
    GatewayMetrics metrics,
    ILogger<GatewayMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // The breached-password header is the gateway's to send: a client's own never reaches the upstream, on any route.
        if (breachedPasswords.HeaderName is { } exposed)
        {
            context.Request.Headers.Remove(exposed);
        }

        var ja4Header = settings.Current.Identity.Ja4UpstreamHeader;
        if (ja4Header.Length > 0)
        {
            context.Request.Headers.Remove(ja4Header);
        }

        var route = context.GetReverseProxyFeature().Route.Config;
        if (route.Metadata is null || !route.Metadata.TryGetValue(GatewayConfigLoader.PolicyMetadataKey, out var policyName))
        {
            await next(context);
            return;
        }

        if (!settings.Current.Policies.TryGetValue(policyName, out var policy))
        {
            // Only possible for an instant during a reload that adds a route and its policy together:
            // refuse rather than forward unprotected.
            Log.PolicyMissing(logger, route.RouteId, policyName);
            await ProblemWriter.WriteAsync(context, GatewayProblems.PolicyUnavailable);
            return;
        }

        var feature = new FraudGatewayFeature(policy, route.RouteId);

        GatewayDecision decision;
        try
        {
            decision = await DecideAsync(context, feature);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            Log.StageFailed(logger, route.RouteId, e);
            decision = new GatewayDecision(GatewayOutcome.Block, "pipeline", "check-failed", GatewayProblems.CheckFailed);
        }

        feature.Decision = decision;
        // Shadow policy: the decision is made and recorded in full, then the request goes on regardless.
        var enforced = !feature.Policy.Shadow;
        recorder.Record(context, feature, decision, enforced);
        attempts.Record(context, feature, decision);

        if (decision.Outcome == GatewayOutcome.Allow || !enforced)
        {
            if (ja4Header.Length > 0 && feature.HasIdentity && feature.Identity.Ja4 is { } ja4)
            {
                context.Request.Headers[ja4Header] = ja4;
            }

            if (feature.Body?.BreachedPassword == true && breachedPasswords.HeaderName is { } header)
            {
                // The application can ask for a new password after a successful login (Cloudflare's header and value).
                context.Request.Headers[header] = "1";
            }

            // After forwarding: the login outcome is recorded as the upstream's answer starts.
            loginOutcomes.Watch(context, feature);
            try
            {
                await next(context);
            }
            finally
            {
                loginOutcomes.Complete(context, feature);
            }
        }
        else
        {
            await ProblemWriter.WriteAsync(context, decision.Problem ?? GatewayProblems.CheckFailed, decision.Detail, decision.Extensions);
        }
    }

    // The decision: the first stage that blocks or allows outright ends the walk. On a shadow policy a block does not
    // end it: every later stage still runs, so the record shows everything that would have refused the request
    // (each as a "would-block" finding); the decision recorded is the first one, as enforcement would have made it.
    private async ValueTask<GatewayDecision> DecideAsync(HttpContext context, FraudGatewayFeature feature)
    {
        GatewayDecision? first = null;
        foreach (var stage in pipeline.Stages)
        {
            if (!stage.RunsFor(feature.Policy))
            {
                continue;
            }

            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = await stage.InvokeAsync(context, feature);
            metrics.StageDuration(stage.Name, feature.Policy.Name, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            switch (result.Action)
            {
                case StageAction.AllowFast:
                    return first ?? new GatewayDecision(GatewayOutcome.Allow, stage.Name, result.Reason ?? stage.Name);
                case StageAction.Block:
                    var decision = new GatewayDecision(GatewayOutcome.Block, stage.Name, result.Reason ?? stage.Name, result.Problem, result.Detail, result.Extensions);
                    if (!feature.Policy.Shadow)
                    {
                        return decision;
                    }

                    feature.AddVerdict(stage.Name, "would-block-" + decision.Reason);
                    first ??= decision;
                    break;
            }
        }

        return first ?? GatewayDecision.AllowedNoRuleMatched;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.PipelinePolicyMissing, EventName = nameof(LogEvents.PipelinePolicyMissing), Level = LogLevel.Error, Message = "Route {RouteId} names policy {Policy}, which is not loaded; the request was refused.")]
        public static partial void PolicyMissing(ILogger logger, string routeId, string policy);

        [LoggerMessage(EventId = LogEvents.PipelineStageFailed, EventName = nameof(LogEvents.PipelineStageFailed), Level = LogLevel.Error, Message = "A gateway stage failed on route {RouteId}; the request was refused with 503 check-failed.")]
        public static partial void StageFailed(ILogger logger, string routeId, Exception exception);
    }
}
