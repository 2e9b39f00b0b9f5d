using System.Globalization;
using FraudGateway.Pipeline;

namespace FraudGateway.RateLimiting;

// RateLimit-Policy and RateLimit fields of draft-ietf-httpapi-ratelimit-headers-10, one list member per limit:
//   RateLimit-Policy: "ip-minute";q=5;w=60, "ip-hour";q=30;w=3600
//   RateLimit: "ip-minute";r=3;t=40, "ip-hour";r=29;t=3600
// r is the quota left, t the seconds until it is back in full (for a limit that refused: until it admits again).
internal static class RateLimitHeaders
{
    public const string PolicyField = "RateLimit-Policy";
    public const string LimitField = "RateLimit";

    public static string Current(GatewayPolicy policy, RateLimitDecision[] decisions)
    {
        // Written into one stack buffer that holds the longest field any policy can have: a StringBuilder grew and
        // copied its chunks on every protected request (a fifth of the login policy's own garbage).
        Span<char> buffer = stackalloc char[MaxChars];
        var length = 0;
        for (var i = 0; i < decisions.Length; i++)
        {
            var decision = decisions[i];
            if (decision.IsUnknown || policy.RateLimits[i].Internal)
            {
                continue;
            }

            var seconds = Seconds(decision.Allowed ? decision.ResetMs : decision.RetryAfterMs);
            buffer[length..].TryWrite(CultureInfo.InvariantCulture, $"{(length > 0 ? ", " : "")}\"{policy.RateLimits[i].Name}\";r={decision.Remaining};t={seconds}", out var written);
            length += written;
        }

        return new string(buffer[..length]);
    }

    // ", " + the quotes + "\";r=" + ";t=" and two 64-bit numbers (20 characters each, a sign included): what a member
    // takes besides its limit's name; the most members a policy has, each with the longest name.
    private const int MaxCharsPerMember = 2 + 1 + 4 + 20 + 3 + 20;
    private const int MaxChars = RateLimitRuleParser.MaxRulesPerPolicy * (RateLimitRuleParser.MaxNameLength + MaxCharsPerMember);

    // The headers of a policy with no limit of the operator's own (only the detector's windows): none.
    public static bool Any(GatewayPolicy policy) => policy.RateLimitPolicyHeader is not null;

    public static void Write(IHeaderDictionary headers, GatewayPolicy policy, RateLimitDecision[] decisions)
    {
        if (!Any(policy))
        {
            return;
        }

        headers[PolicyField] = policy.RateLimitPolicyHeader;
        headers[LimitField] = Current(policy, decisions);
    }

    public static long Seconds(long ms) => Math.Max(0, (ms + 999) / 1000);
}
