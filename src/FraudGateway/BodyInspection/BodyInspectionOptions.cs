namespace FraudGateway.BodyInspection;

/// <summary>
/// FraudGateway:Policies:&lt;name&gt;:BodyInspection. Only policies that set it read request bodies.
/// </summary>
internal sealed class BodyInspectionOptions
{
    /// <summary>
    /// Bodies are read (and buffered for the upstream) up to this many bytes.
    /// </summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Names of the JSON or form fields to pull out; leave one empty to skip it.
    /// </summary>
    public string? AccountField { get; set; }

    public string? EmailField { get; set; }

    public string? MessageField { get; set; }

    /// <summary>
    /// The login's password field: checked against the breach corpus (FraudGateway:BreachedPasswords) and never kept,
    /// logged or sent anywhere. A value that is not a string, or longer than 512 bytes, is not checked.
    /// </summary>
    public string? PasswordField { get; set; }

    /// <summary>
    /// A field real users never see or fill; bots that fill every field do.
    /// </summary>
    public string? HoneypotField { get; set; }

    /// <summary>
    /// Reject: 413 (over MaxBodyBytes), 415 (not JSON or form), 400 (malformed JSON, invalid UTF-8).
    /// PassThrough: forward it untouched and record the finding.
    /// </summary>
    public InvalidBodyAction OnInvalidBody { get; set; } = InvalidBodyAction.Reject;

    /// <summary>
    /// What a failed contact-form check does: Block (403 spam-detected), Challenge (a captcha is required, through
    /// the policy's Captcha), or Record (only a finding in the decision record).
    /// </summary>
    public string OnHoneypot { get; set; } = "Block";

    /// <summary>
    /// The field carrying a signed form token from GET /.fraudgateway/form-token?policy=&lt;name&gt;, issued when the form
    /// is rendered. A submission without one, with a forged or expired one, or sooner than MinFillSeconds after it
    /// was issued, fails the check.
    /// </summary>
    public string? FormTokenField { get; set; }

    public int MinFillSeconds { get; set; } = 3;

    public int MaxFormAgeSeconds { get; set; } = 3600;

    public string OnFormToken { get; set; } = "Block";

    /// <summary>
    /// An e-mail address at a disposable-mail domain (FraudGateway:EmailDomains:DisposableListFile).
    /// </summary>
    public string OnDisposableEmail { get; set; } = "Record";
}
