namespace FraudGateway.Captcha;

internal readonly record struct CaptchaCheck(bool Passed, string Reason)
{
    public static readonly CaptchaCheck Pass = new(true, "verified");
}

// The gateway's own checks on a provider's answer, and the mapping of provider error codes to stable reasons.
// Codes that mean the provider or its configuration is at fault (bad secret, internal error) are not the user's
// failure: they throw CaptchaProviderException, and the policy's OnProviderFailure applies.
internal static class CaptchaChecks
{
    public static CaptchaCheck Evaluate(SiteVerifyResult result, ICaptchaProvider provider, PolicyCaptcha policy, DateTimeOffset now, TimeSpan maxAge)
    {
        if (!result.Success)
        {
            return new CaptchaCheck(false, Reason(result.ErrorCodes));
        }

        if (provider.Hostnames.Count > 0 && (result.Hostname is null || !provider.Hostnames.Contains(result.Hostname, StringComparer.OrdinalIgnoreCase)))
        {
            return new CaptchaCheck(false, "hostname-mismatch");
        }

        if (!string.IsNullOrEmpty(policy.Action) && !string.Equals(result.Action, policy.Action, StringComparison.Ordinal)
            && (result.Action is not null || provider.Type is CaptchaProviderType.RecaptchaV3))
        {
            return new CaptchaCheck(false, "action-mismatch");
        }

        if (provider.Type == CaptchaProviderType.RecaptchaV3 && (result.Score is null || result.Score < policy.MinScore))
        {
            return new CaptchaCheck(false, "score-too-low");
        }

        if (result.ChallengeTime is { } solvedAt && now - solvedAt > maxAge)
        {
            return new CaptchaCheck(false, "token-too-old");
        }

        return CaptchaCheck.Pass;
    }

    private static string Reason(IReadOnlyList<string> codes)
    {
        foreach (var code in codes)
        {
            switch (code)
            {
                case "missing-input-secret" or "invalid-input-secret" or "invalid-parsed-secret" or "sitekey-secret-mismatch" or "invalid-keys":
                    throw new CaptchaProviderException("provider-rejected-secret");
                case "internal-error":
                    throw new CaptchaProviderException("provider-internal-error");
                case "bad-request" or "invalid-sitekey":
                    throw new CaptchaProviderException("provider-bad-request");
            }
        }

        foreach (var code in codes)
        {
            switch (code)
            {
                // hCaptcha says expired-input-response for a token past its lifetime: the same answer for the user.
                case "timeout-or-duplicate" or "invalid-or-already-seen-response" or "already-seen-response" or "expired-input-response":
                    return "token-expired-or-duplicate";
                case "invalid-input-response":
                    return "token-invalid";
                case "missing-input-response":
                    return "token-missing";
            }
        }

        return "token-rejected";
    }
}
