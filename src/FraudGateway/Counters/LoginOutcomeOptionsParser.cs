namespace FraudGateway.Counters;

// FraudGateway:Policies:<name>:LoginOutcome -> the failure status codes (null when the policy counts no outcomes).
internal static class LoginOutcomeOptionsParser
{
    public static IReadOnlySet<int>? Parse(LoginOutcomeOptions? options, string path, List<string> errors)
    {
        if (options is null)
        {
            return null;
        }

        if (options.FailureStatusCodes.Count == 0 || options.FailureStatusCodes.Any(c => c is < 300 or > 599))
        {
            errors.Add($"{path}:FailureStatusCodes must list status codes from 300 to 599 (2xx means success).");
        }

        if (!string.IsNullOrWhiteSpace(options.JsonField) && options.FailureJsonValues.Count == 0)
        {
            errors.Add($"{path}:JsonField needs FailureJsonValues (e.g. [\"false\"]).");
        }

        return options.FailureStatusCodes.ToHashSet();
    }
}
