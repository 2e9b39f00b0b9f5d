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

    public const int SlowDelayMs = 5000;
}
