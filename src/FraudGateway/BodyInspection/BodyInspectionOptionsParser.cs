using FraudGateway.Validation;

namespace FraudGateway.BodyInspection;

// FraudGateway:Policies:<name>:BodyInspection -> BodyInspectionSettings (null when the policy reads no bodies).
internal static class BodyInspectionOptionsParser
{
    public static BodyInspectionSettings? Parse(BodyInspectionOptions? options, string path, List<string> errors, bool hasCaptcha)
    {
        if (options is null)
        {
            return null;
        }

        ConfigCheck.Range(options.MaxBodyBytes, 1024, 1024 * 1024, path + ":MaxBodyBytes", errors);
        if (options.MinFillSeconds is < 0 or > 3600 || options.MaxFormAgeSeconds is < 10 or > 7 * 86400 || options.MinFillSeconds >= options.MaxFormAgeSeconds)
        {
            errors.Add($"{path}: MinFillSeconds (0-3600) must be less than MaxFormAgeSeconds (10-604800).");
        }

        SignalAction Action(string value, string name)
        {
            var action = ConfigCheck.Enum(value, $"{path}:{name}", errors, SignalAction.Record);
            if (action == SignalAction.Challenge && !hasCaptcha)
            {
                errors.Add($"{path}:{name} Challenge needs the policy's Captcha (with a Mode other than Never).");
            }

            return action;
        }

        static string? Field(string? name) => string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        return new BodyInspectionSettings
        {
            MaxBodyBytes = options.MaxBodyBytes,
            AccountField = Field(options.AccountField),
            EmailField = Field(options.EmailField),
            MessageField = Field(options.MessageField),
            PasswordField = Field(options.PasswordField),
            HoneypotField = Field(options.HoneypotField),
            OnInvalidBody = options.OnInvalidBody,
            OnHoneypot = Action(options.OnHoneypot, "OnHoneypot"),
            FormTokenField = Field(options.FormTokenField),
            MinFillSeconds = options.MinFillSeconds,
            MaxFormAgeSeconds = options.MaxFormAgeSeconds,
            OnFormToken = Action(options.OnFormToken, "OnFormToken"),
            OnDisposableEmail = Action(options.OnDisposableEmail, "OnDisposableEmail"),
        };
    }
}
