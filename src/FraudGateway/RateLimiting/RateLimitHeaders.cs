using System.Text;
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
        var builder = new StringBuilder(32 * decisions.Length);
        for (var i = 0; i < decisions.Length; i++)
        {
            var decision = decisions[i];
            if (decision.IsUnknown)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            var seconds = Seconds(decision.Allowed ? decision.ResetMs : decision.RetryAfterMs);
            builder.Append('"').Append(policy.RateLimits[i].Name).Append("\";r=").Append(decision.Remaining).Append(";t=").Append(seconds);
        }

        return builder.ToString();
    }

    public static void Write(IHeaderDictionary headers, GatewayPolicy policy, RateLimitDecision[] decisions)
    {
        headers[PolicyField] = policy.RateLimitPolicyHeader;
        headers[LimitField] = Current(policy, decisions);
    }

    public static long Seconds(long ms) => Math.Max(0, (ms + 999) / 1000);
}
