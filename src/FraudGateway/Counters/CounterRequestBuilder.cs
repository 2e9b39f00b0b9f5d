using System.Collections.Concurrent;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.RateLimiting;
using FraudGateway.State;

namespace FraudGateway.Counters;

// Sorts what one request touches into hash-tag groups: the client address (its ban flag and every limit keyed
// first by ip), its prefix (ban flag, prefix limits), and one group per route or header value. A limit on a
// combination ("ip+route") lives in the group of its first part, its other parts' tags in the key.
internal sealed class CounterRequestBuilder(SubjectHasher hasher)
{
    // Header values are hashed up to this many characters: a huge header costs no more than this.
    public const int MaxHeaderValueChars = 4096;

    private readonly ConcurrentDictionary<string, string> _routeTags = new(StringComparer.Ordinal);

    // On arrival: ban flags, request limits counted, failure limits checked.
    // A route-wide quota never refuses a trusted device, a client that has just passed a challenge, or anyone while the
    // route is defended (FraudGatewayFeature.SkipsRouteQuota): they are not counted in it and it does not apply to them.
    public CounterRequest Build(HttpContext context, FraudGatewayFeature feature) =>
        Build(context, feature, withBans: true, (rule, _) =>
            rule.CountsFailures || rule.CountsSuccesses || rule.CountsAfterDecision ? CounterMode.Check
            : feature.SkipsRouteQuota && rule.IsRouteWide ? null
            : CounterMode.Count);

    // After the upstream answered a login: a failure is counted by every failure limit; a success resets those
    // that ResetOnSuccess. Null when there is nothing to record, found before anything is built: most logins succeed
    // with no failures on record, and building their request only to drop it cost a full set of groups and key
    // strings per login.
    public CounterRequest? BuildOutcome(HttpContext context, FraudGatewayFeature feature, bool success)
    {
        var decisions = feature.Counters?.Decisions;
        var rules = feature.Policy.RateLimits;
        var any = false;
        for (var slot = 0; slot < rules.Length && !any; slot++)
        {
            any = OutcomeMode(rules[slot], slot, success, decisions) is not null;
        }

        return any ? Build(context, feature, withBans: false, (rule, slot) => OutcomeMode(rule, slot, success, decisions)) : null;
    }

    // A failure counts in every failure limit. A success resets only a key with failures on record (unknown: reset to
    // be sure); most logins then cost no store call at all.
    private static CounterMode? OutcomeMode(RateLimitRule rule, int slot, bool success, RateLimitDecision[]? decisions)
    {
        if (rule.CountsSuccesses)
        {
            return success ? CounterMode.Count : null;
        }

        if (!rule.CountsFailures)
        {
            return null;
        }

        if (!success)
        {
            return CounterMode.Count;
        }

        return rule.ResetOnSuccess && (decisions is null || rule.HasFailuresOnRecord(decisions[slot])) ? CounterMode.Reset : null;
    }

    // One window counted after the decision (RateLimitRule.CountsAfterDecision).
    public CounterRequest BuildCount(HttpContext context, FraudGatewayFeature feature, RateLimitRule rule) =>
        Build(context, feature, withBans: false, (r, _) => ReferenceEquals(r, rule) ? CounterMode.Count : null);

    // An admin lifting one limit for one key.
    public CounterRequest BuildReset(HttpContext context, FraudGatewayFeature feature, RateLimitRule rule) =>
        Build(context, feature, withBans: false, (r, _) => ReferenceEquals(r, rule) ? CounterMode.Reset : null);

    // Would one more request be allowed by these rules? Nothing is written (subject access: GET /admin/subjects).
    public CounterRequest BuildCheck(HttpContext context, FraudGatewayFeature feature, IReadOnlySet<RateLimitRule> rules) =>
        Build(context, feature, withBans: false, (r, _) => rules.Contains(r) ? CounterMode.Check : null);

    private CounterRequest Build(HttpContext context, FraudGatewayFeature feature, bool withBans, Func<RateLimitRule, int, CounterMode?> modeOf)
    {
        var address = feature.AddressSubject;
        var prefix = feature.PrefixSubject;
        var rules = feature.Policy.RateLimits;
        var ipGroup = new CounterGroup(address.Token, feature.Policy.AddressLimitCount) { Ban = withBans ? address : null };
        var prefixGroup = new CounterGroup(prefix.Token, feature.Policy.PrefixLimitCount) { Ban = withBans ? prefix : null };
        var groups = new List<CounterGroup>(3) { ipGroup, prefixGroup };
        var current = new KeyView(hasher, address, prefix, feature.Body?.AccountId, feature.Body?.MessageId);

        for (var slot = 0; slot < rules.Length; slot++)
        {
            var rule = rules[slot];
            if (modeOf(rule, slot) is { } mode)
            {
                AddLimit(context, feature, groups, ipGroup, prefixGroup, current, rule, slot, mode);
            }
        }

        // Key rotation: the same bans and limits under each previous key still valid, read (or reset) but never
        // counted there; CounterRequest.Merge adds their counts to the current key's. Distinct counts are not carried
        // over (their members are HMACs under one key): they start afresh under the new key.
        var slots = rules.Length;
        List<(int Slot, int Shadow)>? shadows = null;
        for (var k = 0; k < feature.PreviousKeys.Count; k++)
        {
            var old = feature.PreviousKeys[k];
            var oldIp = new CounterGroup(old.Address.Token) { Ban = withBans ? old.Address : null };
            var oldPrefix = new CounterGroup(old.Prefix.Token) { Ban = withBans ? old.Prefix : null };
            groups.Add(oldIp);
            groups.Add(oldPrefix);
            var view = new KeyView(old.Key, old.Address, old.Prefix, feature.Body?.PreviousAccountIds.ElementAtOrDefault(k), feature.Body?.PreviousMessageIds.ElementAtOrDefault(k));
            for (var slot = 0; slot < rules.Length; slot++)
            {
                var rule = rules[slot];
                if (rule.Distinct != DistinctKind.None || modeOf(rule, slot) is not { } mode)
                {
                    continue;
                }

                var shadow = slots++;
                AddLimit(context, feature, groups, oldIp, oldPrefix, view, rule, shadow, mode == CounterMode.Reset ? CounterMode.Reset : CounterMode.Check);
                if (mode != CounterMode.Reset)
                {
                    (shadows ??= []).Add((slot, shadow));
                }
            }
        }

        if (!withBans)
        {
            groups.RemoveAll(g => g.Limits.Count == 0);
        }

        return new CounterRequest(groups, slots) { PrimaryCount = rules.Length, Shadows = shadows };
    }

    private void AddLimit(HttpContext context, FraudGatewayFeature feature, List<CounterGroup> groups, CounterGroup ipGroup, CounterGroup prefixGroup,
        KeyView keys, RateLimitRule rule, int slot, CounterMode mode)
    {
        if (feature.Identity.Ja4 is null && Array.Exists(rule.KeyParts, p => p.Kind == RateLimitKeyKind.Ja4))
        {
            // No fingerprint: the limit does not apply (its decision stays unknown, which allows).
            return;
        }

        var first = rule.KeyParts[0];
        var group = first.Kind switch
        {
            RateLimitKeyKind.Ip => ipGroup,
            RateLimitKeyKind.Prefix => prefixGroup,
            _ => GroupFor(groups, Tag(context, feature, first, keys)),
        };

        var suffix = StoreKeys.LimitSuffix(rule);
        if (rule.KeyParts.Length > 1)
        {
            var rest = new string[rule.KeyParts.Length - 1];
            for (var p = 1; p < rule.KeyParts.Length; p++)
            {
                rest[p - 1] = Tag(context, feature, rule.KeyParts[p], keys);
            }

            suffix = StoreKeys.WithCombination(suffix, rest);
        }

        var member = rule.Distinct switch
        {
            DistinctKind.Accounts => keys.AccountId ?? "",
            DistinctKind.Addresses => keys.Address.Id,
            _ => null,
        };
        group.Limits.Add(new CounterLimit(slot, rule, suffix, mode, member));
    }

    private string Tag(HttpContext context, FraudGatewayFeature feature, RateLimitKeyPart part, KeyView keys) => part.Kind switch
    {
        RateLimitKeyKind.Ip => keys.Address.Token,
        RateLimitKeyKind.Prefix => keys.Prefix.Token,
        RateLimitKeyKind.Route => ReferenceEquals(keys.Hasher, hasher)
            ? _routeTags.GetOrAdd(feature.RouteId, id => StoreKeys.RouteTag(hasher.Hash("route", id)))
            : StoreKeys.RouteTag(keys.Hasher.Hash("route", feature.RouteId)),
        // A body without an account is one shared value, like a missing header.
        RateLimitKeyKind.Account => StoreKeys.AccountTag(keys.AccountId ?? keys.Hasher.Hash("account", "")),
        RateLimitKeyKind.Message => StoreKeys.MessageTag(keys.MessageId ?? keys.Hasher.Hash("message", "")),
        RateLimitKeyKind.Ja4 => StoreKeys.HeaderTag(keys.Hasher.Hash("ja4", feature.Identity.Ja4 ?? "")),
        _ => StoreKeys.HeaderTag(keys.Hasher.Hash("header:" + part.HeaderName, HeaderValue(context, part.HeaderName!))),
    };

    // The client's identifiers under one HMAC key.
    private readonly record struct KeyView(SubjectHasher Hasher, BanSubject Address, BanSubject Prefix, string? AccountId, string? MessageId);

    // A missing or empty header is one shared value: requests without it are limited together.
    private static ReadOnlySpan<char> HeaderValue(HttpContext context, string name)
    {
        var values = context.Request.Headers[name];
        var value = values.Count switch
        {
            0 => "",
            1 => values[0] ?? "",
            _ => string.Join(",", (IEnumerable<string?>)values),
        };
        return value.Length > MaxHeaderValueChars ? value.AsSpan(0, MaxHeaderValueChars) : value.AsSpan();
    }

    private static CounterGroup GroupFor(List<CounterGroup> groups, string tag)
    {
        foreach (var group in groups)
        {
            if (group.Tag == tag)
            {
                return group;
            }
        }

        var added = new CounterGroup(tag);
        groups.Add(added);
        return added;
    }
}
