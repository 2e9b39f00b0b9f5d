using System.Text.Json;
using FraudGateway.Admin;
using FraudGateway.BodyInspection;
using FraudGateway.Configuration;
using FraudGateway.Management;
using FraudGateway.Privacy;
using FraudGateway.Problems;
using FraudGateway.State;

namespace FraudGateway.Defense;

// The operator's side of site-wide defense, on the management port: read each route's state, force defended mode on
// or off (or give it back to the detector), revoke an account's trusted devices. Changes are audited like every admin
// change and take effect on every instance sharing the store (SiteDefense: within ForcedRefreshSeconds).
internal static class DefenseEndpoints
{
    public const int MaxForcedSeconds = 7 * 86_400;

    public static void MapDefenseEndpoints(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/defense", ListAsync).WithSummary("Each defended route's state on this instance: detected or forced, its window and its baseline.")
            .Produces<DefenseList>().Problems((503, "store-unavailable"));
        admin.MapPost("/defense", ForceAsync).WithSummary("Force a route's defended mode: {\"policy\", \"route\", \"mode\": \"on\" | \"off\" | \"auto\", \"ttlSeconds\"}. Audited.")
            .JsonBody<DefenseRequest>().Produces(StatusCodes.Status204NoContent).Problems((400, "invalid-request"), (503, "store-unavailable"));
        admin.MapPost("/devices/revoke", RevokeAsync).WithSummary("Stop trusting every device token of an account: {\"account\"}. Audited.")
            .JsonBody<DeviceRevocationRequest>().Produces(StatusCodes.Status204NoContent).Problems((400, "invalid-request"), (503, "store-unavailable"));
    }

    private static async Task ListAsync(HttpContext context, SiteDefense defense, TimeProvider time)
    {
        try
        {
            await defense.RefreshForcedAsync(context.RequestAborted);
        }
        catch (StoreUnavailableException)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.StoreUnavailable, "The store did not answer; operator overrides could not be read.");
            return;
        }

        var now = time.GetUtcNow();
        var routes = defense.Routes.OrderBy(r => r.Policy, StringComparer.Ordinal).ThenBy(r => r.Route, StringComparer.Ordinal).Select(r =>
        {
            var (unproven, share, source) = r.BaselineAt(now);
            var s = r.Settings;
            return new DefenseView(r.Policy, r.Route, r.State(now), r.IsDefended(now), r.DetectedSince, r.LastSeen, r.ForcedAt(now), r.ForcedAt(now) is null ? null : r.Forced?.Until,
                s.WindowSeconds, r.Attempts, r.Successes, r.Unproven, Math.Round(r.Share, 4), Math.Round(unproven, 2), Math.Round(share, 4), source,
                Math.Max(s.MinUnprovenPerWindow, s.UnprovenMultiplier * unproven), Math.Max(s.MinUnprovenShare, s.ShareMultiplier * share),
                r.Breached, Math.Round(r.BreachedShare, 4));
        }).ToList();
        await context.Response.WriteAsJsonAsync(new DefenseList(routes), DefenseJsonContext.Default.DefenseList);
    }

    private static async Task ForceAsync(HttpContext context, SiteDefense defense, GatewaySettingsProvider settings)
    {
        var request = await ReadAsync(context, DefenseJsonContext.Default.DefenseRequest, """{"policy": "login", "route": "auth", "mode": "on", "ttlSeconds": 3600}""");
        if (request is null)
        {
            return;
        }

        var error = request.Policy is null || !settings.Current.Policies.TryGetValue(request.Policy, out var policy) || policy.Defense is null
            ? "policy must name a policy with a Defense section."
            : string.IsNullOrWhiteSpace(request.Route) || request.Route.Length > 200 ? "route must be the YARP route id."
            : request.Mode is not ("on" or "off" or "auto") ? "mode must be on, off or auto."
            : request.Mode != "auto" && request.TtlSeconds is not (>= 1 and <= MaxForcedSeconds) ? $"ttlSeconds is required for on and off, between 1 and {MaxForcedSeconds}."
            : null;
        if (error is not null)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, error);
            return;
        }

        AuditNotes.Note(context, SiteDefense.FlagName(request.Policy!, request.Route!), $"mode={request.Mode}" + (request.Mode == "auto" ? "" : $", ttlSeconds={request.TtlSeconds}"));
        try
        {
            await defense.ForceAsync(settings.Current.Policies[request.Policy!].Name, request.Route!, request.Mode!, TimeSpan.FromSeconds(request.TtlSeconds ?? 0), context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        catch (StoreUnavailableException)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.StoreUnavailable, "The store did not answer in time; retry the call (it is idempotent).");
        }
    }

    private static async Task RevokeAsync(HttpContext context, TrustedDevices devices, GatewaySettingsProvider settings, SubjectHasher hasher, TimeProvider time)
    {
        var request = await ReadAsync(context, DefenseJsonContext.Default.DeviceRevocationRequest, """{"account": "alice@example.org"}""");
        if (request is null)
        {
            return;
        }

        if (AccountNormalizer.Normalize(request.Account) is not { } normalized)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "account must be an account identifier.");
            return;
        }

        // As long as the longest-lived token of any policy; under every key still valid (a token signed before a
        // rotation names the account's HMAC under the old key).
        var lifetime = settings.Current.Policies.Values.Select(p => p.Defense?.TrustedDevices?.Lifetime ?? TimeSpan.Zero).DefaultIfEmpty().Max();
        if (lifetime <= TimeSpan.Zero)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "No policy issues trusted-device tokens.");
            return;
        }

        var ids = hasher.ActiveKeys(time.GetUtcNow()).Select(key => key.Hash("account", normalized)).ToList();
        AuditNotes.Note(context, "a:" + ids[0], "devices revoked");
        try
        {
            foreach (var id in ids)
            {
                await devices.RevokeAsync(id, lifetime, context.RequestAborted);
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        catch (StoreUnavailableException)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.StoreUnavailable, "The store did not answer in time; retry the call (it is idempotent).");
        }
    }

    private static async Task<T?> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string example)
        where T : class
    {
        try
        {
            if (await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted) is { } request)
            {
                return request;
            }
        }
        catch (JsonException)
        {
        }

        await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, $"The body must be a JSON object: {example}.");
        return null;
    }
}
