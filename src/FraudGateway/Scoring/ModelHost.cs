using FraudGateway.Model;
using FraudGateway.Observation;

namespace FraudGateway.Scoring;

// Holds the live model, the optional candidate (shadow) model and the feature extractor with the operator's address
// lists. Loads at start; reloads a model when its file changes: the new one is loaded beside the old and swapped in
// whole, so requests in flight finish on the model they started with and none is dropped. A file that does not
// load leaves the previous model in place (logged and counted).
internal sealed partial class ModelHost : IDisposable
{
    private readonly ModelOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<ModelHost> _logger;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly List<ITimer> _timers = [];
    private readonly TimeProvider _time;
    private readonly string _contentRoot;
    private volatile RiskModel? _live;
    private volatile RiskModel? _candidate;
    private readonly UserAgentCache _userAgents;

    public ModelHost(ModelOptions options, GatewayMetrics metrics, TimeProvider time, ILogger<ModelHost> logger, IHostEnvironment environment, UserAgentCache userAgents)
    {
        _userAgents = userAgents;
        _options = options;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _contentRoot = environment.ContentRootPath;
        LivePath = string.IsNullOrWhiteSpace(options.Path) ? ShippedModelPath : Resolve(options.Path);
        CandidatePath = string.IsNullOrWhiteSpace(options.CandidatePath) ? null : Resolve(options.CandidatePath);
    }

    // The model the build publishes beside the gateway: what an unset Model:Path means.
    public static string ShippedModelPath => System.IO.Path.Combine(AppContext.BaseDirectory, "models", "fraudgateway.zip");

    public string LivePath { get; }

    public string? CandidatePath { get; }

    public RiskModel? Live => _live;

    public RiskModel? Candidate => _candidate;

    public FeatureExtractor Extractor { get; private set; } = new(IpLists.None);

    public string? LiveError { get; private set; }

    public string? CandidateError { get; private set; }

    // Loads everything. Returns start-up errors: address-list problems always; a live model that does not load only
    // when a policy scores with it (scoringRequired); a candidate that does not load is logged, not fatal.
    public IReadOnlyList<string> Start(bool scoringRequired)
    {
        var errors = new List<string>();
        var lists = IpLists.Load(_options.DatacenterLists.Select(Resolve), _options.TorLists.Select(Resolve), _options.VpnLists.Select(Resolve), errors);
        Extractor = new FeatureExtractor(lists, _userAgents);
        for (var i = 0; i < errors.Count; i++)
        {
            errors[i] = "FraudGateway:Model address lists: " + errors[i];
        }

        if (_options.ArrivalHistoryClients < 1)
        {
            errors.Add("FraudGateway:Model:ArrivalHistoryClients must be at least 1.");
        }

        if (TryLoad(LivePath, out var live, out var error))
        {
            _live = live;
            Log.Loaded(_logger, "live", live.Version, LivePath);
        }
        else
        {
            LiveError = error;
            if (scoringRequired)
            {
                errors.Add($"FraudGateway:Model:Path: {error}");
            }
            else
            {
                Log.RulesOnly(_logger, error);
            }
        }

        if (CandidatePath is not null)
        {
            if (TryLoad(CandidatePath, out var candidate, out var candidateError))
            {
                _candidate = candidate;
                Log.Loaded(_logger, "candidate", candidate.Version, CandidatePath);
            }
            else
            {
                CandidateError = candidateError;
                Log.CandidateNotLoaded(_logger, CandidatePath, candidateError);
            }
        }

        if (errors.Count == 0)
        {
            Watch(LivePath, isCandidate: false);
            if (CandidatePath is not null)
            {
                Watch(CandidatePath, isCandidate: true);
            }
        }

        return errors;
    }

    // Loads the file again now (the watcher calls this after the file settles).
    public bool Reload(bool candidate)
    {
        var path = candidate ? CandidatePath : LivePath;
        if (path is null)
        {
            return false;
        }

        var kind = candidate ? "candidate" : "live";
        if (!TryLoad(path, out var model, out var error))
        {
            if (candidate)
            {
                CandidateError = error;
            }
            else
            {
                LiveError = error;
            }

            _metrics.ModelReload(kind, "failed");
            var inUse = candidate ? _candidate : _live;
            Log.ReloadFailed(_logger, kind, path, inUse is null ? "no model of this kind is loaded" : $"model {inUse.Version} stays in use", error);
            return false;
        }

        var previous = candidate ? _candidate : _live;
        if (previous?.Version == model.Version)
        {
            return true;
        }

        if (candidate)
        {
            _candidate = model;
            CandidateError = null;
        }
        else
        {
            _live = model;
            LiveError = null;
        }

        _metrics.ModelReload(kind, "loaded");
        Log.Reloaded(_logger, kind, previous?.Version ?? "(none)", model.Version);
        return true;
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        foreach (var timer in _timers)
        {
            timer.Dispose();
        }
    }

    private static bool TryLoad(string path, out RiskModel model, out string error)
    {
        try
        {
            model = RiskModel.Load(path);
            error = "";
            return true;
        }
        catch (Exception e)
        {
            // Any failure, not only the expected ones: this also runs on a timer thread, where an escaping
            // exception would end the process.
            model = null!;
            error = e is ModelLoadException ? e.Message : $"Model file '{path}' could not be loaded: {e.GetType().Name}: {e.Message}";
            return false;
        }
    }

    // Trainers write a temporary file and rename it; editors truncate and write. Either way, wait until the file
    // has been quiet for a moment, then load it.
    private void Watch(string path, bool isCandidate)
    {
        var directory = System.IO.Path.GetDirectoryName(path);
        if (directory is null || !Directory.Exists(directory))
        {
            return;
        }

        var timer = _time.CreateTimer(_ => Reload(isCandidate), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var watcher = new FileSystemWatcher(directory, System.IO.Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        void Changed(object sender, FileSystemEventArgs e) => timer.Change(TimeSpan.FromMilliseconds(300), Timeout.InfiniteTimeSpan);
        watcher.Changed += Changed;
        watcher.Created += Changed;
        watcher.Renamed += (s, e) => Changed(s, e);
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
        _timers.Add(timer);
    }

    // Relative to the content root, as ASP.NET Core resolves appsettings.json and web roots.
    private string Resolve(string path) => System.IO.Path.GetFullPath(path, _contentRoot);

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.ModelLoaded, EventName = nameof(LogEvents.ModelLoaded), Level = LogLevel.Information, Message = "Risk model ({Kind}) {Version} loaded from {Path}.")]
        public static partial void Loaded(ILogger logger, string kind, string version, string path);

        [LoggerMessage(EventId = LogEvents.ModelRulesOnly, EventName = nameof(LogEvents.ModelRulesOnly), Level = LogLevel.Warning, Message = "No risk model is loaded ({Error}); every policy is rules-only, which is what the configuration asks for.")]
        public static partial void RulesOnly(ILogger logger, string error);

        [LoggerMessage(EventId = LogEvents.ModelReloadFailed, EventName = nameof(LogEvents.ModelReloadFailed), Level = LogLevel.Error, Message = "Risk model ({Kind}) {Path} could not be reloaded; {InUse}. {Error}")]
        public static partial void ReloadFailed(ILogger logger, string kind, string path, string inUse, string error);

        [LoggerMessage(EventId = LogEvents.ModelCandidateNotLoaded, EventName = nameof(LogEvents.ModelCandidateNotLoaded), Level = LogLevel.Warning, Message = "Candidate risk model {Path} could not be loaded at start; no candidate scores until the file loads (it is watched). {Error}")]
        public static partial void CandidateNotLoaded(ILogger logger, string path, string error);

        [LoggerMessage(EventId = LogEvents.ModelReloaded, EventName = nameof(LogEvents.ModelReloaded), Level = LogLevel.Information, Message = "Risk model ({Kind}) reloaded: {Previous} -> {Version}.")]
        public static partial void Reloaded(ILogger logger, string kind, string previous, string version);
    }
}
