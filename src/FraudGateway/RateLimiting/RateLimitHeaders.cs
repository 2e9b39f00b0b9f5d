using System.Buffers;
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
        // Written into one stack (or pooled) buffer sized for the longest answer: a StringBuilder grew and copied its
        // chunks on every protected request (a fifth of the login policy's own garbage).
        var bound = 0;
        for (var i = 0; i < decisions.Length; i++)
        {
            bound += policy.RateLimits[i].Name.Length + MaxCharsPerMember;
        }

        char[]? rented = null;
        Span<char> buffer = bound <= 1024 ? stackalloc char[1024] : (rented = ArrayPool<char>.Shared.Rent(bound));
        try
        {
            var length = 0;
            for (var i = 0; i < decisions.Length; i++)
            {
                var decision = decisions[i];
                if (decision.IsUnknown)
                {
                    continue;
                }

                if (length > 0)
                {
                    Append(buffer, ref length, ", ");
                }

                var seconds = Seconds(decision.Allowed ? decision.ResetMs : decision.RetryAfterMs);
                Append(buffer, ref length, "\"");
                Append(buffer, ref length, policy.RateLimits[i].Name);
                Append(buffer, ref length, "\";r=");
                decision.Remaining.TryFormat(buffer[length..], out var written, provider: CultureInfo.InvariantCulture);
                length += written;
                Append(buffer, ref length, ";t=");
                seconds.TryFormat(buffer[length..], out written, provider: CultureInfo.InvariantCulture);
                length += written;
            }

            return new string(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    // ", " + the quotes + "\";r=" + ";t=" and two 64-bit numbers (20 characters each, a sign included): what a member
    // takes besides its limit's name.
    private const int MaxCharsPerMember = 2 + 1 + 4 + 20 + 3 + 20;

    private static void Append(Span<char> buffer, ref int length, string text)
    {
        text.CopyTo(buffer[length..]);
        length += text.Length;
    }

    public static void Write(IHeaderDictionary headers, GatewayPolicy policy, RateLimitDecision[] decisions)
    {
        headers[PolicyField] = policy.RateLimitPolicyHeader;
        headers[LimitField] = Current(policy, decisions);
    }

    public static long Seconds(long ms) => Math.Max(0, (ms + 999) / 1000);
}
