using FraudGateway.Validation;

namespace FraudGateway.State;

// FraudGateway:Store, checked at start (store settings need a restart).
internal static class StoreOptionsValidator
{
    public const string Path = "FraudGateway:Store";

    public static void Validate(StoreOptions options, List<string> errors)
    {
        ConfigCheck.Range(options.OperationTimeoutMs, 1, 10_000, Path + ":OperationTimeoutMs", errors);
        ConfigCheck.Range(options.WarmupTimeoutMs, 1, 10_000, Path + ":WarmupTimeoutMs", errors);
        ConfigCheck.Range(options.WarmupRequests, 0, 1_000_000, Path + ":WarmupRequests", errors);
        ConfigCheck.Range(options.WarmupSeconds, 0, 3600, Path + ":WarmupSeconds", errors);
        ConfigCheck.Range(options.OverLimitCacheMaxEntries, 0, 10_000_000, Path + ":OverLimitCacheMaxEntries", errors);
        ConfigCheck.Range(options.MaxRequestsPerCall, 1, 256, Path + ":MaxRequestsPerCall", errors);
        ConfigCheck.Range(options.ApproximateSyncMs, 10, 5000, Path + ":ApproximateSyncMs", errors);
        ConfigCheck.Range(options.ApproximateMaxStaleMs, options.ApproximateSyncMs, 60_000, Path + ":ApproximateMaxStaleMs", errors);
        if (string.IsNullOrWhiteSpace(options.KeyPrefix) || options.KeyPrefix.AsSpan().IndexOfAny("{}: ") >= 0)
        {
            errors.Add($"{Path}:KeyPrefix must be non-empty and contain no '{{', '}}', ':' or spaces.");
        }
    }
}
