using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using FraudGateway.BodyInspection;
using FraudGateway.Configuration;
using FraudGateway.Counters;
using FraudGateway.Decisions;
using FraudGateway.Identity;
using FraudGateway.Networking;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.Problems;
using FraudGateway.RateLimiting;
using FraudGateway.State;

namespace FraudGateway.Management;

// GET /admin/subjects?ip= | ?prefix= | ?account=: everything the gateway holds about one subject, found by computing
// its HMAC here (the raw value is neither stored nor logged): its ban, each limit keyed by it alone (what one more
// request would meet; nothing is written), its recorded decisions with their labels, and audit entries about it.
// Distinct-count memberships (HyperLogLogs) cannot be tested for one member; the answer says so.
internal static class SubjectEndpoints
{
    private static readonly string[] Kinds = ["ip", "prefix", "account"];

    public const string DistinctCountsNote = "Distinct-count windows (HyperLogLogs) cannot be tested or erased for one member; a membership is gone at the latest 2 x the window after it was added.";

    public static void MapSubjectEndpoints(this IEndpointRouteBuilder admin) =>
        admin.MapGet("/subjects", ExportAsync)
            .WithSummary("Everything held about one subject (query: exactly one of ip, prefix, account). Audited.")
            .WithMetadata(AuditedReadMetadata.Instance)
            .Problems((400, "invalid-request"), (503, "store-unavailable"));

    private static async Task ExportAsync(HttpContext context, IGatewayStore store, IDecisionStore decisions, AuditTrail audit, DecisionOptions decisionOptions,
        GatewaySettingsProvider settings, SubjectHasher hasher, CounterRequestBuilder builder)
    {
        var query = context.Request.Query;
        var given = Kinds.Where(name => query[name].ToString().Length > 0).ToList();
        if (given.Count != 1 || query.Keys.Any(key => key is not ("ip" or "prefix" or "account")))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "Give exactly one of ip, prefix or account (and nothing else).");
            return;
        }

        var identity = settings.Current.Identity;
        var kind = given[0];
        var value = query[kind].ToString();
        var address = IPAddress.None;
        BanSubject? ban = null;
        string? accountId = null;
        switch (kind)
        {
            case "ip" when IPAddress.TryParse(value, out var parsed):
                address = parsed.Normalize();
                ban = BanSubject.ForAddress(address, hasher);
                break;
            case "prefix" when BanSubjectParser.TryParse(value, identity, hasher, out var prefix, out _) && prefix.Kind == BanSubjectKind.Prefix:
                address = IPNetwork.Parse(value).BaseAddress;
                ban = prefix;
                break;
            case "account" when AccountNormalizer.Normalize(value) is { } normalized:
                accountId = hasher.Hash("account", normalized);
                break;
            default:
                await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest,
                    $"{kind} is not valid: an address, a /{identity.Ipv4PrefixLength} or /{identity.Ipv6PrefixLength} prefix, or an account identifier.");
                return;
        }

        var report = new SubjectReport { Kind = kind, Id = ban?.Id ?? accountId!, DistinctCounts = DistinctCountsNote };
        try
        {
            if (ban is { } subject && await store.FindBanAsync(subject, subject, context.RequestAborted) is { } found)
            {
                report.Bans.Add(BanView.From(found));
            }

            foreach (var policy in settings.Current.Policies.Values)
            {
                await AddLimitsAsync(context, store, builder, hasher, identity, policy, kind, address, accountId, report);
            }

            var entries = await decisions.ReadAsync(null, 0, decisionOptions.MaxEntriesPerPolicy, context.RequestAborted);
            report.Decisions = entries.Where(e => kind switch
            {
                "ip" => e.ClientId == report.Id,
                "account" => e.AccountId == report.Id,
                _ => false,
            }).ToList();
            var labels = await decisions.GetLabelsAsync(report.Decisions.Select(e => e.RequestId).ToList(), context.RequestAborted);
            foreach (var entry in report.Decisions)
            {
                entry.Label = labels.GetValueOrDefault(entry.RequestId);
            }

            report.Audit = (await audit.ReadAsync(0, AuditTrail.MaxEntries, context.RequestAborted))
                .Where(e => e.Subject is not null && e.Subject.Contains(report.Id, StringComparison.Ordinal)).ToList();
        }
        catch (StoreUnavailableException)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.StoreUnavailable, "The store does not answer.");
            return;
        }

        AuditTrail.Note(context, report.Id, "subject access");
        await context.Response.WriteAsJsonAsync(report, SubjectJsonContext.Default.SubjectReport);
    }

    // The limits keyed by this subject alone (an address's "ip" limits, a prefix's "prefix" limits, an account's
    // "account" limits), checked without writing.
    private static async Task AddLimitsAsync(HttpContext context, IGatewayStore store, CounterRequestBuilder builder, SubjectHasher hasher,
        ClientIdentitySettings identity, GatewayPolicy policy, string kind, IPAddress address, string? accountId, SubjectReport report)
    {
        var wanted = kind switch { "ip" => RateLimitKeyKind.Ip, "prefix" => RateLimitKeyKind.Prefix, _ => RateLimitKeyKind.Account };
        var rules = policy.RateLimits
            .Where(rule => rule.KeyParts.Length == 1 && rule.KeyParts[0].Kind == wanted && rule.Distinct == DistinctKind.None)
            .ToHashSet();
        if (rules.Count == 0)
        {
            return;
        }

        var feature = new FraudGatewayFeature(policy, "") { Body = new InspectedBody { AccountId = accountId } };
        feature.SetClient(new ClientIdentity
        {
            Address = address,
            PeerAddress = address,
            Prefix = address.ToPrefix(identity.Ipv4PrefixLength, identity.Ipv6PrefixLength),
            UserAgent = "",
        }, hasher);
        var request = builder.BuildCheck(new DefaultHttpContext(), feature, rules);
        var result = await store.CountAsync(request, context.RequestAborted);
        for (var slot = 0; slot < policy.RateLimits.Length; slot++)
        {
            var rule = policy.RateLimits[slot];
            if (rules.Contains(rule))
            {
                var decision = result.Decisions[slot];
                report.Limits.Add(new SubjectLimit(policy.Name, rule.Name, rule.Limit, (int)(rule.WindowMs / 1000), decision.Allowed, decision.Remaining,
                    (int)Math.Ceiling(decision.RetryAfterMs / 1000.0)));
            }
        }
    }
}

internal sealed class SubjectReport
{
    // ip, prefix or account; Id is its HMAC (the form every record holds it in).
    public string Kind { get; set; } = "";

    public string Id { get; set; } = "";

    public List<BanView> Bans { get; set; } = [];

    public List<SubjectLimit> Limits { get; set; } = [];

    public string DistinctCounts { get; set; } = "";

    public List<DecisionEntry> Decisions { get; set; } = [];

    public List<AuditEntry> Audit { get; set; } = [];
}

// What one more request would meet on this limit now: allowed, how many remain after it, and how long a refusal lasts.
internal sealed record SubjectLimit(string Policy, string Limit, long Quota, int WindowSeconds, bool NextAllowed, long RemainingAfterNext, int RetryAfterSeconds);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SubjectReport))]
internal sealed partial class SubjectJsonContext : JsonSerializerContext;
