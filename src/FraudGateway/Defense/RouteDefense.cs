namespace FraudGateway.Defense;

// One protected route's site-wide state on this instance: the latest window counts (read from the store, so the same
// on every instance), the baseline learned from them, and whether the route is under attack.
//
// The signature: "unproven" attempts, those that did not end in a successful login within the window (failures,
// unknown accounts, and, once defended, challenges nobody solved), reach MinUnprovenPerWindow and UnprovenMultiplier
// times their baseline, and their share of all attempts reaches MinUnprovenShare and ShareMultiplier times its
// baseline. A newsletter that triples logins triples successes too: the share stays put. A distributed stuffing run
// fails nearly every attempt: both rise at once, within one window.
//
// The baseline is an exponential average of one sample a minute, kept per hour of the week (UTC) once that hour has
// 30 samples, otherwise over all hours once there are WarmupMinutes samples, otherwise the configured warm-up values.
// Minutes under attack are not learned. It lives in process: a restarted instance warms up again from the shared counts.
internal sealed class RouteDefense(string policy, string route, DetectorSettings settings)
{
    private const double Alpha = 0.1;
    private const int BucketSamplesNeeded = 30;
    private readonly Lock _lock = new();
    private readonly double[] _bucketUnproven = new double[168];
    private readonly double[] _bucketShare = new double[168];
    private readonly int[] _bucketSamples = new int[168];
    private double _unproven;
    private double _share;
    private int _samples;
    private long _lastSampleMinute = -1;
    // Ticks (UTC) until which the route stays detected; read without the lock (a DateTimeOffset could tear).
    private long _defendedUntilTicks;

    // The automatic state last reported: an attack's end is noticed by the first request after the cool-down.
    private bool _reported;

    // This instance's logins on the defended route that solved a proof of work, by second of the window: how many
    // then failed and how many succeeded. An attack that pays for its proofs of work fails nearly every login after
    // solving; people who solve one mostly get in.
    private readonly int[] _solvedFailed = new int[3600];
    private readonly int[] _solvedSucceeded = new int[3600];
    private readonly long[] _solvedSecond = new long[3600];
    private long _escalatedUntilTicks;

    public string Policy { get; } = policy;

    public string Route { get; } = route;

    public DetectorSettings Settings { get; } = settings;

    public long Attempts { get; private set; }

    public long Successes { get; private set; }

    public DateTimeOffset? DetectedSince { get; private set; }

    public DateTimeOffset? LastSeen { get; private set; }

    // What an operator forced (shared flag), with its end; null: automatic. Replaced whole, never torn.
    public ForcedMode? Forced { get; set; }

    public long Unproven => Math.Max(0, Attempts - Successes);

    public double Share => Attempts == 0 ? 0 : (double)Unproven / Attempts;

    // Attempts in the window whose password is in the breach corpus, and their share of all attempts.
    public long Breached { get; private set; }

    public double BreachedShare => Attempts == 0 ? 0 : (double)Breached / Attempts;

    // The breached-password signature: at least MinUnprovenPerWindow attempts with a breached password, making up at
    // least this share of all attempts. People reuse common passwords too, but not half of a busy window's logins;
    // a stuffing run's combo list is nothing but breached passwords, whether they log in or not.
    public const double BreachedShareSignature = 0.5;

    // Feeds one request's view of the route's window; true when the automatic state changed (detected or ended).
    public bool Observe(long attempts, long successes, DateTimeOffset now, out bool detected) => Observe(attempts, successes, 0, now, out detected);

    public bool Observe(long attempts, long successes, long breached, DateTimeOffset now, out bool detected)
    {
        lock (_lock)
        {
            var wasDetected = _reported;
            Attempts = attempts;
            Successes = Math.Min(successes, attempts);
            Breached = Math.Min(breached, attempts);
            var (baseUnproven, baseShare, _) = BaselineAt(now);
            var signature = (Unproven >= Math.Max(Settings.MinUnprovenPerWindow, Settings.UnprovenMultiplier * baseUnproven)
                && Share >= Math.Max(Settings.MinUnprovenShare, Settings.ShareMultiplier * baseShare))
                || (Breached >= Settings.MinUnprovenPerWindow && BreachedShare >= BreachedShareSignature);
            if (signature)
            {
                DetectedSince ??= now;
                LastSeen = now;
                Volatile.Write(ref _defendedUntilTicks, now.AddSeconds(Settings.CooldownSeconds).UtcTicks);
            }

            var minute = now.ToUnixTimeSeconds() / 60;
            if (minute != _lastSampleMinute)
            {
                _lastSampleMinute = minute;
                if (!signature && !wasDetected)
                {
                    Learn(now);
                }
            }

            detected = IsDetected(now);
            if (!detected)
            {
                DetectedSince = null;
            }

            _reported = detected;
            return detected != wasDetected;
        }
    }

    // A login that solved a proof of work on the defended route ended (success or failure); true when this escalates
    // defended mode to the captcha: at least MinUnprovenPerWindow / 2 solved-then-failed logins in the window, making up
    // at least half of the solved ones. The escalation lasts as long as defended mode.
    public bool ObserveSolved(bool success, DateTimeOffset now)
    {
        lock (_lock)
        {
            var second = now.ToUnixTimeSeconds();
            var slot = (int)(second % Settings.WindowSeconds);
            if (_solvedSecond[slot] != second)
            {
                (_solvedSecond[slot], _solvedFailed[slot], _solvedSucceeded[slot]) = (second, 0, 0);
            }

            if (success)
            {
                _solvedSucceeded[slot]++;
            }
            else
            {
                _solvedFailed[slot]++;
            }

            int failed = 0, succeeded = 0;
            for (var i = 0; i < Settings.WindowSeconds; i++)
            {
                if (_solvedSecond[i] > second - Settings.WindowSeconds)
                {
                    failed += _solvedFailed[i];
                    succeeded += _solvedSucceeded[i];
                }
            }

            var wasEscalated = IsEscalated(now);
            if (failed >= Math.Max(1, Settings.MinUnprovenPerWindow / 2) && failed >= succeeded)
            {
                Volatile.Write(ref _escalatedUntilTicks, Math.Max(Volatile.Read(ref _defendedUntilTicks), now.AddSeconds(Settings.CooldownSeconds).UtcTicks));
            }

            return !wasEscalated && IsEscalated(now);
        }
    }

    // Proofs of work are being solved at attack rates: defended mode asks for the captcha rung instead.
    public bool IsEscalated(DateTimeOffset now) => Volatile.Read(ref _escalatedUntilTicks) > now.UtcTicks && IsDefended(now);

    // Detected now (the signature was seen within the cool-down), whatever an operator forced.
    public bool IsDetected(DateTimeOffset now) => Volatile.Read(ref _defendedUntilTicks) > now.UtcTicks;

    // An operator's override still in force: "on" or "off", or null.
    public string? ForcedAt(DateTimeOffset now) => Forced is { } forced && forced.Until > now ? forced.Mode : null;

    // Defended: forced on, or detected and not forced off.
    public bool IsDefended(DateTimeOffset now) => ForcedAt(now) switch
    {
        "on" => true,
        "off" => false,
        _ => IsDetected(now),
    };

    public string State(DateTimeOffset now) => ForcedAt(now) switch
    {
        "on" => IsEscalated(now) ? "forced-on, escalated to the captcha" : "forced-on",
        "off" => IsDetected(now) ? "forced-off (attack detected)" : "forced-off",
        _ => IsDetected(now) ? IsEscalated(now) ? "detected, escalated to the captcha" : "detected" : "normal",
    };

    public (double Unproven, double Share, string Source) BaselineAt(DateTimeOffset now)
    {
        var bucket = HourOfWeek(now);
        if (_bucketSamples[bucket] >= BucketSamplesNeeded)
        {
            return (_bucketUnproven[bucket], _bucketShare[bucket], "hour-of-week");
        }

        return _samples >= Math.Max(1, Settings.WarmupMinutes)
            ? (_unproven, _share, "recent")
            : (Settings.WarmupUnprovenPerWindow, Settings.WarmupUnprovenShare, "warm-up");
    }

    private void Learn(DateTimeOffset now)
    {
        var bucket = HourOfWeek(now);
        (_unproven, _share) = _samples == 0 ? (Unproven, Share) : (Ewma(_unproven, Unproven), Ewma(_share, Share));
        _samples++;
        (_bucketUnproven[bucket], _bucketShare[bucket]) = _bucketSamples[bucket] == 0
            ? (Unproven, Share)
            : (Ewma(_bucketUnproven[bucket], Unproven), Ewma(_bucketShare[bucket], Share));
        _bucketSamples[bucket]++;
    }

    private static double Ewma(double average, double sample) => average + (Alpha * (sample - average));

    private static int HourOfWeek(DateTimeOffset now) => ((int)now.UtcDateTime.DayOfWeek * 24) + now.UtcDateTime.Hour;
}

// An operator's override of a route's defended mode: "on" or "off" until Until.
internal sealed record ForcedMode(string Mode, DateTimeOffset Until);
