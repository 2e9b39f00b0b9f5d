using System.Text.Json;
using FraudGateway.Admin;
using FraudGateway.BodyInspection;
using FraudGateway.Configuration;
using FraudGateway.Counters;
using FraudGateway.Decisions;
using FraudGateway.Identity;
using FraudGateway.Networking;
using FraudGateway.Pipeline;
using FraudGateway.RateLimiting;
using FraudGateway.Privacy;
using FraudGateway.Problems;
using FraudGateway.State;

namespace FraudGateway.Management;

internal static class ManagementEndpoints
{
    public const int MaxBanTtlSeconds = 30 * 24 * 3600;
    public const int MaxReasonChars = 200;

    public static void MapManagementEndpoints(this IEndpointRouteBuilder endpoints, string apiKey)
    {
        var management = endpoints.MapGroup("").WithMetadata(ManagementEndpointMetadata.Instance);

        // Liveness: the process serves requests. Readiness: and its store answers.
        management.MapGet("/healthz", () => Results.Json(new HealthStatus("live"), ManagementJsonContext.Default.HealthStatus))
            .WithSummary("Liveness: the process serves requests.").Produces<HealthStatus>();
        management.MapGet("/readyz", async (HttpContext context, IGatewayStore store, GatewaySettingsProvider settings, Scoring.ModelHost models) =>
        {
            if (await store.IsReadyAsync(context.RequestAborted))
            {
                var scoring = settings.Current.Policies.Values.Where(p => p.Scoring is { Mode: not Scoring.ScoringMode.Off })
                    .ToDictionary(p => p.Name, _ => models.Live?.Version, StringComparer.Ordinal);
                await Results.Json(new HealthStatus("ready", store.Name, scoring), ManagementJsonContext.Default.HealthStatus).ExecuteAsync(context);
                return;
            }

            await ProblemWriter.WriteAsync(context, GatewayProblems.StoreUnavailable, $"The {store.Name} store does not answer.");
        }).WithSummary("Readiness: the store answers and its path is warm; the live model of each policy that scores.")
            .Produces<HealthStatus>().Problems((503, "store-unavailable"));

        // Prometheus text format (OpenTelemetry's exporter; Observation/Telemetry.cs). Like /healthz, no API key:
        // the management port is where it is reachable at all.
        if (endpoints.ServiceProvider.GetRequiredService<Observation.Telemetry.Settings>().Enabled)
        {
            management.MapPrometheusScrapingEndpoint("/metrics").WithMetadata(new Microsoft.AspNetCore.Http.ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/plain"]))
                .WithSummary("Prometheus text exposition of the gateway's (and the platform's) metrics.");
        }

        var admin = management.MapGroup("/admin")
            .AddEndpointFilter(new ApiKeyEndpointFilter(apiKey))
            .AddEndpointFilter(new AuditEndpointFilter(endpoints.ServiceProvider.GetRequiredService<AuditTrail>(), AuditNotes.KeyId(apiKey)));
        admin.MapPost("/bans", AddBanAsync).WithSummary("Ban an address or a prefix: {\"subject\", \"ttlSeconds\", \"reason\"}.")
            .JsonBody<BanRequest>().Produces<BanView>(StatusCodes.Status201Created)
            .Problems((400, "invalid-request"), (503, "store-unavailable"));
        admin.MapGet("/bans", ListBansAsync).WithSummary("Live bans, soonest expiry first.").Produces<BanList>().Problems((503, "store-unavailable"));
        admin.MapGet("/bans/lookup", LookupBanAsync).WithSummary("The ban on an address or prefix.").Produces<BanView>()
            .Problems((400, "invalid-request"), (404, "not-found"), (503, "store-unavailable"));
        admin.MapDelete("/bans", RemoveBanBySubjectAsync).WithSummary("Lift the ban on an address or prefix.").Produces(StatusCodes.Status204NoContent)
            .Problems((400, "invalid-request"), (404, "not-found"), (503, "store-unavailable"));
        admin.MapDelete("/bans/{id}", RemoveBanByIdAsync).WithSummary("Lift a ban by its id.").Produces(StatusCodes.Status204NoContent)
            .Problems((400, "invalid-request"), (404, "not-found"), (503, "store-unavailable"));
        admin.MapDelete("/limits", ResetLimitAsync).WithSummary("Clear one limit's count and penalty for one key, on every instance.")
            .Produces(StatusCodes.Status204NoContent).Problems((400, "invalid-request"), (503, "store-unavailable"));
        admin.MapGet("/model", WriteModelStatusAsync).WithSummary("The live and candidate models.").Produces<ModelStatus>();
        admin.MapDecisionEndpoints();
        admin.MapSubjectEndpoints();
        Defense.DefenseEndpoints.MapDefenseEndpoints(admin);
        admin.MapGet("/audit", ListAuditAsync).WithSummary("The audit trail of management changes, newest first (query: since, limit).")
            .Query(QueryParameter.Since, QueryParameter.Limit(1000)).Produces<AuditPage>()
            .Problems((400, "invalid-request"), (503, "store-unavailable"));
        management.MapOpenApi("/openapi/{documentName}.json");
        management.MapDashboard();
    }

    // GET /admin/model: which models score, where they came from (resolved paths), and the last load error of each.
    private static Task WriteModelStatusAsync(HttpContext context, Scoring.ModelHost models) =>
        context.Response.WriteAsJsonAsync(new ModelStatus(
            ModelView.Of(models.Live, models.LivePath, models.LiveError),
            models.CandidatePath is null ? null : ModelView.Of(models.Candidate, models.CandidatePath, models.CandidateError)), ManagementJsonContext.Default.ModelStatus);

    private static async Task AddBanAsync(HttpContext context, IGatewayStore store, GatewaySettingsProvider settings, SubjectHasher hasher, TimeProvider time)
    {
        BanRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, ManagementJsonContext.Default.BanRequest, context.RequestAborted);
        }
        catch (JsonException)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "The body must be JSON: {\"subject\": \"203.0.113.7\", \"ttlSeconds\": 3600, \"reason\": \"...\"}.");
            return;
        }

        if (request is null)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "The body must be a JSON object.");
            return;
        }

        if (!BanSubjectParser.TryParse(request.Subject, settings.Current.Identity, hasher, out var subject, out var error))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, error);
            return;
        }

        if (request.TtlSeconds is not (>= 1 and <= MaxBanTtlSeconds))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, $"ttlSeconds is required, between 1 and {MaxBanTtlSeconds}.");
            return;
        }

        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "manual" : request.Reason.Trim();
        if (reason.Length > MaxReasonChars || FreeText.ContainsAddress(reason))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, $"reason must be at most {MaxReasonChars} characters and must not contain an IP or e-mail address (it is stored in clear; free text is not for personal data).");
            return;
        }

        var now = time.GetUtcNow();
        var record = new BanRecord(subject, reason, now, now.AddSeconds(request.TtlSeconds.Value));
        AuditNotes.Note(context, subject.Token, $"ttlSeconds={request.TtlSeconds.Value}");
        if (await TryStoreAsync(context, () => store.AddBanAsync(record, context.RequestAborted)))
        {
            context.Response.StatusCode = StatusCodes.Status201Created;
            await context.Response.WriteAsJsonAsync(BanView.From(record), ManagementJsonContext.Default.BanView);
        }
    }

    private static async Task ListBansAsync(HttpContext context, IGatewayStore store)
    {
        IReadOnlyList<BanRecord> bans = [];
        if (await TryStoreAsync(context, async () => bans = await store.ListBansAsync(context.RequestAborted)))
        {
            await context.Response.WriteAsJsonAsync(new BanList(bans.Select(BanView.From).ToList()), ManagementJsonContext.Default.BanList);
        }
    }

    private static async Task LookupBanAsync(HttpContext context, string? subject, IGatewayStore store, GatewaySettingsProvider settings, SubjectHasher hasher, TimeProvider time)
    {
        if (!BanSubjectParser.TryParse(subject, settings.Current.Identity, hasher, out _, out var error))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, error);
            return;
        }

        BanRecord? found = null;
        if (!await TryStoreAsync(context, async () =>
        {
            foreach (var parsed in BanSubjectParser.UnderActiveKeys(subject!, settings.Current.Identity, hasher, time.GetUtcNow()))
            {
                found ??= await store.FindBanAsync(parsed, parsed, context.RequestAborted);
            }
        }))
        {
            return;
        }

        if (found is null)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.NotFound, "No live ban on that subject.");
            return;
        }

        await context.Response.WriteAsJsonAsync(BanView.From(found), ManagementJsonContext.Default.BanView);
    }

    private static async Task RemoveBanBySubjectAsync(HttpContext context, string? subject, IGatewayStore store, GatewaySettingsProvider settings, SubjectHasher hasher, TimeProvider time)
    {
        if (!BanSubjectParser.TryParse(subject, settings.Current.Identity, hasher, out _, out var error))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, error);
            return;
        }

        // During a key rotation the ban may be held under a previous key (or under both): every one goes.
        await RemoveAsync(context, store, BanSubjectParser.UnderActiveKeys(subject!, settings.Current.Identity, hasher, time.GetUtcNow()));
    }

    private static async Task RemoveBanByIdAsync(HttpContext context, string id, IGatewayStore store)
    {
        if (!BanSubject.TryParseToken(id, out var subject))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "id must be a ban id as listed by GET /admin/bans.");
            return;
        }

        await RemoveAsync(context, store, [subject]);
    }

    private static async Task RemoveAsync(HttpContext context, IGatewayStore store, IReadOnlyList<BanSubject> subjects)
    {
        AuditNotes.Note(context, string.Join(",", subjects.Select(s => s.Token)));
        var removed = false;
        if (!await TryStoreAsync(context, async () =>
        {
            foreach (var subject in subjects)
            {
                removed |= await store.RemoveBanAsync(subject, context.RequestAborted);
            }
        }))
        {
            return;
        }

        if (removed)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        else
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.NotFound, "No live ban on that subject.");
        }
    }

    // DELETE /admin/limits?policy=login&limit=brute-force&account=alice&ip=203.0.113.7[&route=auth]
    // Clears one limit's count and penalty for one key: lifts a brute-force lockout, for instance.
    private static async Task ResetLimitAsync(HttpContext context, string? policy, string? limit, string? ip, string? account, string? route,
        IGatewayStore store, GatewaySettingsProvider settings, SubjectHasher hasher, CounterRequestBuilder builder, TimeProvider time)
    {
        var current = settings.Current;
        if (policy is null || !current.Policies.TryGetValue(policy, out var gatewayPolicy))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "policy must name a configured policy.");
            return;
        }

        var rule = gatewayPolicy.RateLimits.FirstOrDefault(r => string.Equals(r.Name, limit, StringComparison.OrdinalIgnoreCase));
        if (rule is null)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "limit must name one of the policy's rate limits.");
            return;
        }

        var kinds = rule.KeyParts.Select(p => p.Kind).ToHashSet();
        var address = System.Net.IPAddress.None;
        string? problem = kinds.Contains(RateLimitKeyKind.Header) ? "limits keyed by a header cannot be lifted here."
            : (kinds.Contains(RateLimitKeyKind.Ip) || kinds.Contains(RateLimitKeyKind.Prefix)) && !System.Net.IPAddress.TryParse(ip, out address!) ? "ip must be the client's address."
            : kinds.Contains(RateLimitKeyKind.Account) && AccountNormalizer.Normalize(account) is null ? "account is required for this limit."
            : kinds.Contains(RateLimitKeyKind.Route) && string.IsNullOrEmpty(route) ? "route must be the YARP route id." : null;
        if (problem is not null)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, problem);
            return;
        }

        address = address.Normalize();
        var identity = current.Identity;
        var feature = AdminClient.Feature(gatewayPolicy, route ?? "", address, AccountNormalizer.Normalize(account), identity, hasher, time.GetUtcNow());
        var request = builder.BuildReset(new DefaultHttpContext(), feature, rule);
        var lifted = request.Groups.SelectMany(g => g.Limits.Select(l => OverLimitCache.Key(g, l).ToString())).ToList();
        AuditNotes.Note(context, string.Join(",", request.Groups.Select(g => g.Tag)), $"policy={gatewayPolicy.Name} limit={rule.Name}");
        if (await TryStoreAsync(context, async () =>
        {
            await store.CountAsync(request, context.RequestAborted);
            await store.AnnounceLiftAsync(lifted, context.RequestAborted);
        }))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
    }

    // GET /admin/audit?since=&limit=: management actions, newest first.
    private static async Task ListAuditAsync(HttpContext context, AuditTrail trail)
    {
        if (!AdminQuery.TryParseLimit(context.Request.Query, 100, 1000, out var limit, out var error)
            || !AdminQuery.TryParseSince(context.Request.Query, out var sinceMs, out error))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, error);
            return;
        }

        IReadOnlyList<AuditEntry> entries = [];
        if (await TryStoreAsync(context, async () => entries = await trail.ReadAsync(sinceMs, limit, context.RequestAborted)))
        {
            await context.Response.WriteAsJsonAsync(new AuditPage(entries), AuditJsonContext.Default.AuditPage);
        }
    }

    private static async Task<bool> TryStoreAsync(HttpContext context, Func<Task> operation)
    {
        try
        {
            await operation();
            return true;
        }
        catch (StoreUnavailableException)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.StoreUnavailable, "The store did not answer in time; retry the call (adding and removing bans is idempotent).");
            return false;
        }
    }
}
