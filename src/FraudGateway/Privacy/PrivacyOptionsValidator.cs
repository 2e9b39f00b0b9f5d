namespace FraudGateway.Privacy;

// FraudGateway:Privacy, checked at start: instances sharing a store must share the HMAC key.
internal static class PrivacyOptionsValidator
{
    public static void Validate(PrivacyOptions options, IConfiguration configuration, List<string> errors)
    {
        if (options.HmacKey.Length is > 0 and < 32)
        {
            errors.Add("FraudGateway:Privacy:HmacKey must be at least 32 characters.");
        }
        else if (options.HmacKey.Length == 0 && !string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis")))
        {
            errors.Add("FraudGateway:Privacy:HmacKey is required when ConnectionStrings:Redis is set: every instance sharing the store must derive the same keys.");
        }
    }
}
