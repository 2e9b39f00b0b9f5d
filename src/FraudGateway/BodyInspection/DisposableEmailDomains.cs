using System.Collections.Frozen;
using FraudGateway.Observation;

namespace FraudGateway.BodyInspection;

// The disposable-mail domain list, loaded at start and again whenever its file changes (a bad or missing file on
// reload is logged and the last good list stays). "*.domain" lines cover every subdomain.
internal sealed partial class DisposableEmailDomains : IDisposable
{
    private readonly string _path;
    private readonly ILogger<DisposableEmailDomains> _logger;
    private readonly FileSystemWatcher? _watcher;
    private volatile DomainSets _domains;

    public DisposableEmailDomains(EmailDomainsOptions options, ILogger<DisposableEmailDomains> logger)
    {
        _logger = logger;
        _path = Path.IsPathRooted(options.DisposableListFile) ? options.DisposableListFile : Path.Combine(AppContext.BaseDirectory, options.DisposableListFile);
        _domains = File.Exists(_path) ? Load(_path) : new DomainSets(FrozenSet<string>.Empty, FrozenSet<string>.Empty);
        if (_domains.Exact.Count == 0)
        {
            Log.Missing(_logger, _path);
        }

        var directory = Path.GetDirectoryName(_path);
        if (directory is not null && Directory.Exists(directory))
        {
            _watcher = new FileSystemWatcher(directory, Path.GetFileName(_path)) { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName };
            _watcher.Changed += (_, _) => Reload();
            _watcher.Created += (_, _) => Reload();
            _watcher.Renamed += (_, _) => Reload();
            _watcher.EnableRaisingEvents = true;
        }
    }

    public int Count => _domains.Exact.Count + _domains.Wildcard.Count;

    public bool IsDisposable(string? domain)
    {
        if (string.IsNullOrEmpty(domain))
        {
            return false;
        }

        var (exact, wildcard) = _domains;
        if (exact.Contains(domain))
        {
            return true;
        }

        for (var dot = domain.IndexOf('.'); dot >= 0; dot = domain.IndexOf('.', dot + 1))
        {
            if (wildcard.Contains(domain[(dot + 1)..]))
            {
                return true;
            }
        }

        return wildcard.Contains(domain);
    }

    public void Reload()
    {
        try
        {
            _domains = Load(_path);
            Log.Reloaded(_logger, Count);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.ReloadFailed(_logger, _path, e.GetType().Name);
        }
    }

    public void Dispose() => _watcher?.Dispose();

    internal static DomainSets Load(string path)
    {
        var exact = new HashSet<string>(StringComparer.Ordinal);
        var wildcard = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim().ToLowerInvariant();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("*.", StringComparison.Ordinal))
            {
                wildcard.Add(line[2..]);
            }
            else
            {
                exact.Add(line);
            }
        }

        return new DomainSets(exact.ToFrozenSet(StringComparer.Ordinal), wildcard.ToFrozenSet(StringComparer.Ordinal));
    }

    internal sealed record DomainSets(FrozenSet<string> Exact, FrozenSet<string> Wildcard);

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.EmailDomainsMissing, EventName = nameof(LogEvents.EmailDomainsMissing), Level = LogLevel.Warning, Message = "The disposable e-mail domain list {Path} is missing or empty; no address is treated as disposable.")]
        public static partial void Missing(ILogger logger, string path);

        [LoggerMessage(EventId = LogEvents.EmailDomainsReloaded, EventName = nameof(LogEvents.EmailDomainsReloaded), Level = LogLevel.Information, Message = "Disposable e-mail domain list reloaded: {Count} entries.")]
        public static partial void Reloaded(ILogger logger, int count);

        [LoggerMessage(EventId = LogEvents.EmailDomainsReloadFailed, EventName = nameof(LogEvents.EmailDomainsReloadFailed), Level = LogLevel.Error, Message = "The disposable e-mail domain list {Path} could not be reloaded ({Error}); the previous list stays.")]
        public static partial void ReloadFailed(ILogger logger, string path, string error);
    }
}
