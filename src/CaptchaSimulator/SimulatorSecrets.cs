namespace CaptchaSimulator;

// The secret a gateway sends selects the simulator's behaviour, like Cloudflare's documented Turnstile test secrets.
public static class SimulatorSecrets
{
    // Turnstile's own test secrets.
    public const string AlwaysPasses = "1x0000000000000000000000000000000AA";
    public const string AlwaysFails = "2x0000000000000000000000000000000AA";
    public const string TokenSpent = "3x0000000000000000000000000000000AA";

    // Failure switches.
    public const string Slow = "sim-slow";               // answers after SlowDelayMs, then passes
    public const string ServerError = "sim-5xx";         // HTTP 500
    public const string NeverAnswers = "sim-timeout";    // holds the request until the caller gives up
    public const string InternalError = "sim-internal-error"; // success false, error-codes ["internal-error"]
    public const string Expired = "sim-expired";         // the provider's "token expired" code (hCaptcha: expired-input-response)

    // Judges each token once, like the real providers: the first call answers after SlowOnceDelayMs and spends the
    // token; any later call with it is a duplicate, except a Turnstile call with the first call's idempotency_key,
    // which gets the first answer again (Cloudflare's retry by key).
    public const string SlowOnce = "sim-slow-once";

    public const int SlowOnceDelayMs = 1500;

    public const int SlowDelayMs = 5000;
}
