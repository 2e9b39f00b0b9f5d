namespace FraudGateway.Captcha;

/// <summary>
/// FraudGateway:Captcha: the providers policies can name, and how tokens and passes are handled.
/// </summary>
internal sealed class CaptchaOptions
{
    /// <summary>
    /// Where clients send a token (the provider's own form/JSON field is read too).
    /// </summary>
    public string TokenHeader { get; set; } = "X-Captcha-Token";

    /// <summary>
    /// A solved captcha older than this is refused (the provider's challenge_ts, or the PoW challenge's issue time).
    /// </summary>
    public int MaxTokenAgeSeconds { get; set; } = 300;

    /// <summary>
    /// A siteverify call gives up after this long; the policy's OnProviderFailure decides what follows.
    /// </summary>
    public int ProviderTimeoutMs { get; set; } = 3000;

    /// <summary>
    /// Bodies are searched for the provider's token field only up to this size.
    /// </summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    public CaptchaPassOptions Pass { get; set; } = new();

    public Dictionary<string, CaptchaProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

internal sealed class CaptchaPassOptions
{
    /// <summary>
    /// After a verified captcha the gateway issues a signed pass, bound to the client's IP prefix and user agent,
    /// so a user who mistypes a password does not solve a new captcha on every retry. 0 turns passes off.
    /// </summary>
    public int LifetimeSeconds { get; set; } = 300;

    public string CookieName { get; set; } = "fg_captcha_pass";

    public string HeaderName { get; set; } = "X-Captcha-Pass";
}

internal sealed class CaptchaProviderOptions
{
    /// <summary>
    /// Turnstile, HCaptcha, RecaptchaV2, RecaptchaV3 or ProofOfWork.
    /// </summary>
    public string Type { get; set; } = "";

    /// <summary>
    /// Public key the front end renders the widget with; returned in captcha-required answers.
    /// </summary>
    public string SiteKey { get; set; } = "";

    /// <summary>
    /// From configuration or the environment (FraudGateway__Captcha__Providers__&lt;name&gt;__Secret); never logged.
    /// </summary>
    public string Secret { get; set; } = "";

    /// <summary>
    /// Override of the provider's siteverify URL. Must be https unless Simulated is true.
    /// </summary>
    public string? VerifyUrl { get; set; }

    /// <summary>
    /// Set only to point the provider at the captcha simulator (tests, load tests). The gateway warns at start.
    /// </summary>
    public bool Simulated { get; set; }

    /// <summary>
    /// Hostnames the solved widget may report; empty: any.
    /// </summary>
    public List<string> Hostnames { get; set; } = [];

    /// <summary>
    /// Send the client's address to the provider as remoteip (all three siteverify APIs treat it as optional; it helps
    /// their own abuse checks). Off by default: the provider gets the token and nothing that identifies the client.
    /// </summary>
    public bool SendRemoteIp { get; set; }

    /// <summary>
    /// ProofOfWork only: leading zero bits required of SHA-256(challenge:nonce).
    /// </summary>
    public int Difficulty { get; set; } = 16;
}
