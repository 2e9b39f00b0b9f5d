namespace FraudGateway.Privacy;

// FraudGateway:Privacy, checked at start: instances sharing a store must share the HMAC key; previous keys need an
// id, a key and an end.
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

        if (string.IsNullOrWhiteSpace(options.HmacKeyId) || options.HmacKeyId.Length > 32)
        {
            errors.Add("FraudGateway:Privacy:HmacKeyId must be 1 to 32 characters.");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal) { options.HmacKeyId };
        for (var i = 0; i < options.PreviousHmacKeys.Count; i++)
        {
            var previous = options.PreviousHmacKeys[i];
            var at = $"FraudGateway:Privacy:PreviousHmacKeys:{i}";
            if (options.HmacKey.Length == 0)
            {
                errors.Add($"{at}: previous keys need a current HmacKey.");
            }

            if (string.IsNullOrWhiteSpace(previous.Id) || previous.Id.Length > 32 || !ids.Add(previous.Id))
            {
                errors.Add($"{at}:Id must be 1 to 32 characters and differ from every other key's id.");
            }

            if (previous.Key.Length < 32)
            {
                errors.Add($"{at}:Key must be at least 32 characters.");
            }
            else if (previous.Key == options.HmacKey)
            {
                errors.Add($"{at}:Key is the current HmacKey: a previous key must be the one it replaced.");
            }

            if (previous.ValidUntil is null)
            {
                errors.Add($"{at}:ValidUntil is required (an ISO 8601 time): a previous key is tried only until then.");
            }
        }
    }
}
