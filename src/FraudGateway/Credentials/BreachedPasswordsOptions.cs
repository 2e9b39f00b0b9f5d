namespace FraudGateway.Credentials;

/// <summary>
/// FraudGateway:BreachedPasswords: the breach corpus logins are checked against (a policy's
/// BodyInspection:PasswordField names the field), and what a breached password does.
/// </summary>
internal sealed class BreachedPasswordsOptions
{
    public const string SectionPath = "FraudGateway:BreachedPasswords";

    /// <summary>
    /// Check passwords at all. Off: nothing is loaded or checked, no header is sent.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The compiled corpus (fraudgateway-trainer breached-passwords), relative to the content root. Empty: the file
    /// shipped next to the gateway (data/breached-passwords.bin: zxcvbn's 30,000 most common passwords). Replacing the
    /// file reloads it; a corrupt or truncated one is refused and the previous one kept.
    /// </summary>
    public string Path { get; set; } = "";

    /// <summary>
    /// The header the upstream gets ("1") on a login whose password is in the corpus; removed from every client request
    /// whatever its value. Empty: none sent (the flag is still recorded and scored).
    /// </summary>
    public string UpstreamHeader { get; set; } = "Exposed-Credential-Check";

    /// <summary>
    /// A breached password from a device that is not trusted is a signal group of its own on a policy that scores:
    /// at least a challenge, a block with one more group. False: only recorded and sent upstream.
    /// </summary>
    public bool Challenge { get; set; } = true;

    /// <summary>
    /// How often the file is looked at for a replacement, in seconds.
    /// </summary>
    public int ReloadCheckSeconds { get; set; } = 10;

    public static void Validate(BreachedPasswordsOptions options, List<string> errors)
    {
        Validation.ConfigCheck.Range(options.ReloadCheckSeconds, 1, 3600, SectionPath + ":ReloadCheckSeconds", errors);
        if (options.UpstreamHeader.Length > 0 && !options.UpstreamHeader.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors.Add($"{SectionPath}:UpstreamHeader '{options.UpstreamHeader}' is not a header name (letters, digits, '-').");
        }
    }
}
