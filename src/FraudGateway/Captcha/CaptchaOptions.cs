namespace FraudGateway.Captcha;

// FraudGateway:Captcha: the providers policies can name, and how tokens and passes are handled.
internal sealed class CaptchaOptions
{
    // Where clients send a token (the provider's own form/JSON field is read too).
    public string TokenHeader { get; set; } = "X-Captcha-Token";

    // A solved captcha older than this is refused (the provider's challenge_ts, or the PoW challenge's issue time).
    public int MaxTokenAgeSeconds { get; set; } = 300;

    // A siteverify call gives up after this long; the policy's OnProviderFailure decides what follows.
    public int ProviderTimeoutMs { get; set; } = 3000;

    // Bodies are searched for the provider's token field only up to this size.
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    public CaptchaPassOptions Pass { get; set; } = new();

    public Dictionary<string, CaptchaProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

internal sealed class CaptchaPassOptions
{
    // After a verified captcha the gateway issues a signed pass, bound to the client's IP prefix and user agent,
    // so a user who mistypes a password does not solve a new captcha on every retry. 0 turns passes off.
    public int LifetimeSeconds { get; set; } = 300;

    public string CookieName { get; set; } = "fg_captcha_pass";

    public string HeaderName { get; set; } = "X-Captcha-Pass";
}

internal sealed class CaptchaProviderOptions
{
    // Turnstile, HCaptcha, RecaptchaV2, RecaptchaV3 or ProofOfWork.
    public string Type { get; set; } = "";

    // Public key the front end renders the widget with; returned in captcha-required answers.
    public string SiteKey { get; set; } = "";

    // From configuration or the environment (FraudGateway__Captcha__Providers__<name>__Secret); never logged.
    public string Secret { get; set; } = "";

    // Override of the provider's siteverify URL. Must be https unless Simulated is true.
    public string? VerifyUrl { get; set; }

    // Set only to point the provider at the captcha simulator (tests, load tests). The gateway warns at start.
    public bool Simulated { get; set; }

    // Hostnames the solved widget may report; empty: any.
    public List<string> Hostnames { get; set; } = [];

    // Send the client's address to the provider as remoteip (all three siteverify APIs treat it as optional; it helps
    // their own abuse checks). Off by default: the provider gets the token and nothing that identifies the client.
    public bool SendRemoteIp { get; set; }

    // ProofOfWork only: leading zero bits required of SHA-256(challenge:nonce).
    public int Difficulty { get; set; } = 16;
}
