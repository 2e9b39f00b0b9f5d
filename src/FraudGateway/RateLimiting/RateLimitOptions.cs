namespace FraudGateway.RateLimiting;

/// <summary>
/// One entry of FraudGateway:Policies:&lt;name&gt;:RateLimits.
/// </summary>
internal sealed class RateLimitOptions
{
    /// <summary>
    /// Shown to clients in RateLimit-Policy / RateLimit and used in store keys: letters, digits, '-', '_', '.'.
    /// </summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// What is counted: ip, prefix, route, header:&lt;Header-Name&gt;, or several joined with '+' (e.g. "ip+route").
    /// </summary>
    public string Key { get; set; } = "";

    public int Limit { get; set; }

    public int WindowSeconds { get; set; }

    /// <summary>
    /// SlidingWindow (default) or TokenBucket.
    /// </summary>
    public string Algorithm { get; set; } = "SlidingWindow";

    /// <summary>
    /// TokenBucket only: how many requests may arrive at once. Defaults to Limit.
    /// </summary>
    public int? Burst { get; set; }

    /// <summary>
    /// Once the limit refuses a request, refuse this key for this long (penalty box). 0: only until the window allows again.
    /// </summary>
    public int PenaltySeconds { get; set; }

    /// <summary>
    /// Requests (default): every attempt counts when it arrives. Failures: only attempts the upstream answered as a
    /// failed login count (after the answer, off the latency path; needs LoginOutcome); once Limit failures are
    /// counted, further attempts are refused. With key account+ip this is brute-force protection; with account an
    /// account-wide lockout; with ip or prefix a throttle for clients failing across many accounts.
    ///
    /// DistinctAccounts / DistinctAddresses: count the distinct accounts (needs BodyInspection:AccountField) or client
    /// addresses seen for the key in this window and the previous one, on arrival; over Limit, the key is refused.
    /// "Key": "ip" with DistinctAccounts catches one address trying many accounts; "Key": "account" with
    /// DistinctAddresses catches many addresses trying one account. SlidingWindow only.
    /// </summary>
    public RateLimitCounts Counts { get; set; } = RateLimitCounts.Requests;

    /// <summary>
    /// Failures only: a successful login clears this limit's count and penalty for the key.
    /// </summary>
    public bool ResetOnSuccess { get; set; }
}
