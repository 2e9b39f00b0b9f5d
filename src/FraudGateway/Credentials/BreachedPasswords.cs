using FraudGateway.Model.Credentials;
using FraudGateway.Observation;

namespace FraudGateway.Credentials;

// The breach corpus in use (BreachedPasswordFile, memory-mapped) and its reload: every ReloadCheckSeconds the file's
// length and write time are looked at; a changed file is opened and checked in full (header, length, checksum) and
// swapped in only when good, else refused with an error log and the previous one kept. A replaced file is closed one
// interval later, after any lookup that started on it has finished. Missing at start: nothing is checked (a warning);
// it is picked up when it appears.
//
// The password is never kept: the caller hands over its UTF-8 bytes, the SHA-1 is made on the stack and cleared, and
// only the answer (breached or not) leaves; no log line, record or metric holds either.
internal sealed partial class BreachedPasswords : BackgroundService
{
    private readonly BreachedPasswordsOptions _options;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<BreachedPasswords> _logger;
    private volatile BreachedPasswordFile? _current;
    private BreachedPasswordFile? _retired;
    private (long Length, DateTime Written) _seen;

    public BreachedPasswords(BreachedPasswordsOptions options, TimeProvider time, GatewayMetrics metrics, ILogger<BreachedPasswords> logger, IHostEnvironment environment)
    {
        (_options, _time, _metrics, _logger) = (options, time, metrics, logger);
        FilePath = string.IsNullOrWhiteSpace(options.Path)
            ? System.IO.Path.Combine(AppContext.BaseDirectory, "data", "breached-passwords.bin")
            : System.IO.Path.GetFullPath(options.Path, environment.ContentRootPath);
        if (options.Enabled)
        {
            Load(atStart: true);
        }
    }

    public string FilePath { get; }

    public string? HeaderName => _options.Enabled && _options.UpstreamHeader.Length > 0 ? _options.UpstreamHeader : null;

    public bool Challenges => _options.Challenge;

    public long Count => _current?.Count ?? 0;

    /// <summary>Breached (true), not in the corpus (false), or not checked (null: no corpus loaded, or too long).</summary>
    public bool? Check(ReadOnlySpan<byte> utf8Password)
    {
        var file = _current;
        if (file is null || utf8Password.Length > BreachedPasswordFile.MaxPasswordBytes)
        {
            return null;
        }

        return file.Contains(utf8Password);
    }

    public bool? Check(ReadOnlySpan<char> password) => _current?.Contains(password);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.ReloadCheckSeconds), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                CheckForReplacement();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    // One look at the file (the timer's tick; tests call it directly).
    internal void CheckForReplacement()
    {
        // The file replaced at the previous look is closed now: every lookup that began on it has long finished.
        _retired?.Dispose();
        _retired = null;
        var info = new FileInfo(FilePath);
        if (info.Exists && (info.Length, info.LastWriteTimeUtc) != _seen)
        {
            Load(atStart: false);
        }
    }

    private void Load(bool atStart)
    {
        var info = new FileInfo(FilePath);
        if (!info.Exists)
        {
            Log.Missing(_logger, FilePath);
            return;
        }

        _seen = (info.Length, info.LastWriteTimeUtc);
        try
        {
            var opened = BreachedPasswordFile.Open(FilePath);
            _retired = _current;
            _current = opened;
            _metrics.BreachedPasswordsLoaded(opened.Count);
            Log.Loaded(_logger, FilePath, opened.Count, opened.FalsePositiveRate, atStart ? "start" : "replaced");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            Log.Refused(_logger, FilePath, e.Message, _current is null ? "none" : $"{_current.Count} hashes");
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _current?.Dispose();
        _retired?.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.BreachedPasswordsLoaded, EventName = nameof(LogEvents.BreachedPasswordsLoaded), Level = LogLevel.Information, Message = "Breach corpus {Path} loaded ({Reason}): {Count} password hashes, expected false-positive rate {FalsePositiveRate:E1}.")]
        public static partial void Loaded(ILogger logger, string path, long count, double falsePositiveRate, string reason);

        [LoggerMessage(EventId = LogEvents.BreachedPasswordsRefused, EventName = nameof(LogEvents.BreachedPasswordsRefused), Level = LogLevel.Error, Message = "Breach corpus {Path} refused: {Reason}. Still in use: {Kept}.")]
        public static partial void Refused(ILogger logger, string path, string reason, string kept);

        [LoggerMessage(EventId = LogEvents.BreachedPasswordsMissing, EventName = nameof(LogEvents.BreachedPasswordsMissing), Level = LogLevel.Warning, Message = "Breach corpus {Path} not found: passwords are not checked until it appears.")]
        public static partial void Missing(ILogger logger, string path);
    }
}
