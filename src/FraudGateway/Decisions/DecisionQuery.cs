using System.Globalization;
using System.Net;
using FraudGateway.Admin;
using FraudGateway.BodyInspection;
using FraudGateway.Privacy;
using FraudGateway.State;

namespace FraudGateway.Decisions;

// GET /admin/decisions's filters, parsed from the query string. ip and account are turned into their HMACs here;
// the raw values go no further.
internal sealed class DecisionQuery
{
    public const int MaxLimit = 500;
    public const int DefaultLimit = 50;

    public string? Policy { get; private init; }

    public string? Action { get; private init; }

    public string? Reason { get; private init; }

    public long SinceMs { get; private init; }

    public int Limit { get; private init; } = DefaultLimit;

    // Paging: only entries older than this id (the previous page's "next").
    public (long Ms, long Sequence)? Before { get; private init; }

    // The address's / account's HMAC under every configured key (a decision recorded before a key rotation is found).
    public IReadOnlyList<string>? ClientIds { get; private init; }

    public IReadOnlyList<string>? AccountIds { get; private init; }

    // policies: the configured policy names; limits: every configured limit's name. A filter naming another policy or
    // a reason the gateway never records is a mistake, not an empty answer.
    public static DecisionQuery? Parse(IQueryCollection query, SubjectHasher hasher, out string error, IReadOnlyCollection<string>? policies = null, IReadOnlyCollection<string>? limits = null)
    {
        error = "";
        var known = new[] { "policy", "action", "reason", "since", "limit", "before", "ip", "account" };
        if (query.Keys.FirstOrDefault(key => !known.Contains(key, StringComparer.Ordinal)) is { } unknown)
        {
            error = $"Unknown query parameter '{unknown}'; known: {string.Join(", ", known)}.";
            return null;
        }

        string? action = query["action"];
        if (action is not null and not ("allow" or "challenge" or "block"))
        {
            error = "action must be allow, challenge or block.";
            return null;
        }

        if (query["policy"].ToString() is { Length: > 0 } policyText && policies is not null && !policies.Contains(policyText, StringComparer.OrdinalIgnoreCase))
        {
            error = $"policy '{policyText}' is not a configured policy; known: {string.Join(", ", policies.Order(StringComparer.Ordinal))}.";
            return null;
        }

        if (query["reason"].ToString() is { Length: > 0 } reasonText
            && (reasonText.Length > 100 || reasonText.AsSpan().ContainsAnyExcept(ReasonChars) || (limits is not null && !DecisionReasons.IsKnown(reasonText, limits))))
        {
            error = $"reason '{reasonText}' is not one the gateway records; known: {DecisionReasons.Describe()}.";
            return null;
        }

        if (!AdminQuery.TryParseLimit(query, DefaultLimit, MaxLimit, out var limit, out error)
            || !AdminQuery.TryParseSince(query, out var sinceMs, out error))
        {
            return null;
        }

        (long, long)? before = null;
        if (query["before"].ToString() is { Length: > 0 } beforeText)
        {
            if (!TryParseId(beforeText, out var id))
            {
                error = "before must be an id from a previous page's next.";
                return null;
            }

            before = id;
        }

        IReadOnlyList<string>? clientIds = null;
        if (query["ip"].ToString() is { Length: > 0 } ipText)
        {
            if (!IPAddress.TryParse(ipText, out var address))
            {
                error = "ip must be an IPv4 or IPv6 address.";
                return null;
            }

            clientIds = [.. Keys(hasher).Select(key => BanSubject.ForAddress(address, key).Id)];
        }

        IReadOnlyList<string>? accountIds = null;
        if (query["account"].ToString() is { Length: > 0 } accountText)
        {
            if (AccountNormalizer.Normalize(accountText) is not { } normalized)
            {
                error = "account is not a usable account identifier.";
                return null;
            }

            accountIds = [.. Keys(hasher).Select(key => key.Hash("account", normalized))];
        }

        return new DecisionQuery
        {
            Policy = query["policy"].ToString() is { Length: > 0 } policy ? policy : null,
            Action = action,
            Reason = query["reason"].ToString() is { Length: > 0 } reason ? reason : null,
            SinceMs = sinceMs,
            Limit = limit,
            Before = before,
            ClientIds = clientIds,
            AccountIds = accountIds,
        };
    }

    private static readonly System.Buffers.SearchValues<char> ReasonChars = System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-._:");

    private static IEnumerable<SubjectHasher> Keys(SubjectHasher hasher) => [hasher, .. hasher.Previous];

    public static bool TryParseId(string id, out (long Ms, long Sequence) parsed)
    {
        parsed = default;
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && long.TryParse(id.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out parsed.Ms)
            && long.TryParse(id.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out parsed.Sequence);
    }

    // A reason matches the decision's reason, a limit that refused, or a finding.
    public bool Matches(DecisionEntry entry) =>
        (Action is null || entry.Action == Action)
        && (Reason is null || entry.Reason == Reason || entry.LimitsHit.Contains(Reason) || entry.Findings.Any(f => f == Reason || f.EndsWith(":" + Reason, StringComparison.Ordinal)))
        && (ClientIds is null || (entry.ClientId is { } client && ClientIds.Contains(client)))
        && (AccountIds is null || (entry.AccountId is { } account && AccountIds.Contains(account)))
        && (Before is null || (TryParseId(entry.Id, out var id) && id.CompareTo(Before.Value) < 0));
}

// One page of decisions, newest first; next is the "before" of the following page, null on the last.
internal sealed record DecisionPage(IReadOnlyList<DecisionEntry> Decisions, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? Next);
