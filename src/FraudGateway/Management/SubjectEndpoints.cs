using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using FraudGateway.Admin;
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

    public static void MapSubjectEndpoints(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/subjects", ExportAsync)
            .WithSummary("Everything held about one subject (query: exactly one of ip, prefix, account). Audited.")
            .WithMetadata(AuditedReadMetadata.Instance)
            .Query(QueryParameter.Subject).Produces<SubjectReport>()
            .Problems((400, "invalid-request"), (503, "store-unavailable"));
        admin.MapDelete("/subjects", EraseAsync)
            .WithSummary("Erase everything held about one subject on every store and instance (query: exactly one of ip, prefix, account). Audited.")
            .Query(QueryParameter.Subject).Produces<SubjectErasure>()
            .Problems((400, "invalid-request"), (503, "store-unavailable"));
    }

    private static async Task ExportAsync(HttpContext context, IGatewayStore store, IDecisionStore decisions, AuditTrail audit, DecisionOptions decisionOptions,
        GatewaySettingsProvider settings, SubjectHasher hasher, CounterRequestBuilder builder, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (await ParseAsync(context, settings.Current.Identity, hasher, now) is not { } subject)
        {
            return;
        }

        var identity = settings.Current.Identity;
        var report = new SubjectReport { Kind = subject.Kind, Id = subject.Id, PreviousKeyIds = subject.Ids.Skip(1).ToList(), DistinctCounts = DistinctCountsNote };
        try
        {
            foreach (var ban in subject.Bans)
            {
                if (await store.FindBanAsync(ban, ban, context.RequestAborted) is { } found)
                {
                    report.Bans.Add(BanView.From(found));
                }
            }

            foreach (var policy in settings.Current.Policies.Values)
            {
                await AddLimitsAsync(context, store, builder, hasher, identity, policy, subject, now, report);
            }

            var entries = await decisions.ReadAsync(null, 0, decisionOptions.MaxEntriesPerPolicy, context.RequestAborted);
            report.Decisions = entries.Where(e => subject.Ids.Any(e.Concerns)).ToList();
            var labels = await decisions.GetLabelsAsync(report.Decisions.Select(e => e.RequestId).ToList(), context.RequestAborted);
            foreach (var entry in report.Decisions)
            {
                entry.Label = labels.GetValueOrDefault(entry.RequestId);
            }

            report.Audit = (await audit.ReadAsync(0, AuditTrail.MaxEntries, context.RequestAborted))
                .Where(e => subject.Ids.Any(id => AuditTrail.Concerns(e, id))).ToList();
        }
        catch (StoreUnavailableException)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.StoreUnavailable, "The store does not answer.");
            return;
        }

        AuditNotes.Note(context, report.Id, "subject access");
        await context.Response.WriteAsJsonAsync(report, SubjectJsonContext.Default.SubjectReport);
    }

    // DELETE: everything held about the subject, from the store (every key that names its HMAC, on every primary),
    // the decision store (entries and their labels), the audit trail, and every instance's in-process state (the
    // same broadcast as admin lifts). The erasure itself is audited, by HMAC, as the record that it was done.
    private static async Task EraseAsync(HttpContext context, IGatewayStore store, IDecisionStore decisions, AuditTrail audit,
        GatewaySettingsProvider settings, SubjectHasher hasher, TimeProvider time)
    {
        if (await ParseAsync(context, settings.Current.Identity, hasher, time.GetUtcNow()) is not { } subject)
        {
            return;
        }

        SubjectErasure erasure;
        try
        {
            // Under every HMAC key still valid (key rotation): the subject's records may be held under any of them.
            long records = 0;
            int entries = 0, labels = 0, auditEntries = 0;
            foreach (var id in subject.Ids)
            {
                records += await store.EraseSubjectAsync(id, context.RequestAborted);
                var (e, l) = await decisions.EraseAsync(id, context.RequestAborted);
                (entries, labels) = (entries + e, labels + l);
                auditEntries += await audit.EraseAsync(id, context.RequestAborted);
                await store.AnnounceErasureAsync(id, context.RequestAborted);
            }

            erasure = new SubjectErasure(subject.Kind, subject.Id, records, entries, labels, auditEntries, DistinctCountsNote);
        }
        catch (StoreUnavailableException)
        {
            AuditNotes.Note(context, subject.Id, "erasure incomplete");
            await ProblemWriter.WriteAsync(context, GatewayProblems.StoreUnavailable, "The store does not answer; the erasure may be incomplete. Repeat it.");
            return;
        }

        AuditNotes.Note(context, subject.Id, $"erased: {erasure.StoreRecords} store records, {erasure.Decisions} decisions, {erasure.Labels} labels, {erasure.AuditEntries} audit entries");
        await context.Response.WriteAsJsonAsync(erasure, SubjectJsonContext.Default.SubjectErasure);
    }

    // Exactly one of ip, prefix or account, valid, and nothing else; otherwise a 400 is written and null returned.
    // Its id under the current key first, then under every previous key still valid.
    private static async Task<ParsedSubject?> ParseAsync(HttpContext context, ClientIdentitySettings identity, SubjectHasher hasher, DateTimeOffset now)
    {
        var query = context.Request.Query;
        var given = Kinds.Where(name => query[name].ToString().Length > 0).ToList();
        if (given.Count != 1 || query.Keys.Any(key => key is not ("ip" or "prefix" or "account")))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "Give exactly one of ip, prefix or account (and nothing else).");
            return null;
        }

        var kind = given[0];
        var value = query[kind].ToString();
        switch (kind)
        {
            case "ip" when IPAddress.TryParse(value, out var parsed):
                var bans = hasher.ActiveKeys(now).Select(key => BanSubject.ForAddress(parsed.Normalize(), key)).ToList();
                return new ParsedSubject(kind, bans.Select(b => b.Id).ToList(), parsed.Normalize(), bans, null);
            case "prefix" when BanSubjectParser.TryParse(value, identity, hasher, out var prefix, out _) && prefix.Kind == BanSubjectKind.Prefix:
                var prefixes = BanSubjectParser.UnderActiveKeys(value, identity, hasher, now);
                return new ParsedSubject(kind, prefixes.Select(b => b.Id).ToList(), IPNetwork.Parse(value).BaseAddress, prefixes, null);
            case "account" when AccountNormalizer.Normalize(value) is { } normalized:
                return new ParsedSubject(kind, hasher.ActiveKeys(now).Select(key => key.Hash("account", normalized)).ToList(), IPAddress.None, [], normalized);
            default:
                await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest,
                    $"{kind} is not valid: an address, a /{identity.Ipv4PrefixLength} or /{identity.Ipv6PrefixLength} prefix, or an account identifier.");
                return null;
        }
    }

    private sealed record ParsedSubject(string Kind, IReadOnlyList<string> Ids, IPAddress Address, IReadOnlyList<BanSubject> Bans, string? NormalizedAccount)
    {
        public string Id => Ids[0];
    }

    // The limits keyed by this subject alone (an address's "ip" limits, a prefix's "prefix" limits, an account's
    // "account" limits), checked without writing.
    private static async Task AddLimitsAsync(HttpContext context, IGatewayStore store, CounterRequestBuilder builder, SubjectHasher hasher,
        ClientIdentitySettings identity, GatewayPolicy policy, ParsedSubject subject, DateTimeOffset now, SubjectReport report)
    {
        var wanted = subject.Kind switch { "ip" => RateLimitKeyKind.Ip, "prefix" => RateLimitKeyKind.Prefix, _ => RateLimitKeyKind.Account };
        var rules = policy.RateLimits
            .Where(rule => rule.KeyParts.Length == 1 && rule.KeyParts[0].Kind == wanted && rule.Distinct == DistinctKind.None)
            .ToHashSet();
        if (rules.Count == 0)
        {
            return;
        }

        var feature = AdminClient.Feature(policy, "", subject.Address, subject.NormalizedAccount, identity, hasher, now);
        var request = builder.BuildCheck(new DefaultHttpContext(), feature, rules);
        var result = request.Merge(await store.CountAsync(request, context.RequestAborted));
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

    // During a key rotation: its HMACs under the previous keys still valid, which were looked up too.
    public List<string> PreviousKeyIds { get; set; } = [];

    public List<BanView> Bans { get; set; } = [];

    public List<SubjectLimit> Limits { get; set; } = [];

    public string DistinctCounts { get; set; } = "";

    public List<DecisionEntry> Decisions { get; set; } = [];

    public List<AuditEntry> Audit { get; set; } = [];
}

// What an erasure removed: records in the store (bans, limit windows, penalties, distinct-count keys keyed by the
// subject, ban-index entries; in memory also distinct-count memberships), decision entries, their labels, and audit
// entries. DistinctCounts says what could not be removed and for how long it lives.
internal sealed record SubjectErasure(string Kind, string Id, long StoreRecords, int Decisions, int Labels, int AuditEntries, string DistinctCounts);

// What one more request would meet on this limit now: allowed, how many remain after it, and how long a refusal lasts.
internal sealed record SubjectLimit(string Policy, string Limit, long Quota, int WindowSeconds, bool NextAllowed, long RemainingAfterNext, int RetryAfterSeconds);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SubjectReport))]
[JsonSerializable(typeof(SubjectErasure))]
internal sealed partial class SubjectJsonContext : JsonSerializerContext;
