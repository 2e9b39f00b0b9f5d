using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using FraudGateway.Model;
using FraudGateway.Trainer.Data;
using FraudGateway.Trainer.Evaluation;
using FraudGateway.Trainer.Simulation;

namespace FraudGateway.Trainer.Commands;

// fraudgateway-trainer simulate | train | evaluate | score. Exit codes: 0 done, 1 bad input (message on stderr).
public static class TrainerCli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var ipListsOption = new Option<string>("--ip-lists") { Description = "Directory with datacenter.txt, tor.txt, vpn.txt (CIDR per line); missing files are empty lists", DefaultValueFactory = _ => DefaultPath("data/sim-ip-lists") };
        var seedOption = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1 };

        var simulate = new Command("simulate", "Generate labelled traffic (JSONL) from the real user-agent corpora");
        var simOut = new Option<string>("--out") { Description = "Output JSONL file", Required = true };
        var split = new Option<CorpusSplit>("--split") { Description = "train: training families only; holdout: half from held-out families; all", DefaultValueFactory = _ => CorpusSplit.Train };
        var scale = new Option<double>("--scale") { Description = "Multiplies every actor count", DefaultValueFactory = _ => 1.0 };
        var corpusOption = new Option<string>("--corpus") { Description = "Directory of the user-agent corpora", DefaultValueFactory = _ => UserAgentCorpus.DefaultDirectory };
        var headersOption = new Option<string>("--headers") { Description = "Captured client header sets (JSONL)", DefaultValueFactory = _ => CapturedHeaderCorpus.DefaultPath };
        simulate.Options.Add(simOut);
        simulate.Options.Add(seedOption);
        simulate.Options.Add(split);
        simulate.Options.Add(scale);
        simulate.Options.Add(corpusOption);
        simulate.Options.Add(headersOption);
        simulate.Options.Add(ipListsOption);
        simulate.SetAction(r => Guard(stderr, () => Simulate(r.GetValue(simOut)!, new SimulationOptions(r.GetValue(seedOption), r.GetValue(split), r.GetValue(scale)),
            r.GetValue(corpusOption)!, r.GetValue(headersOption)!, r.GetValue(ipListsOption)!, stderr)));

        var train = new Command("train", "Train the FastTree model from JSONL (simulated requests and/or labelled decision records)");
        var data = new Option<string[]>("--data") { Description = "JSONL file(s)", Required = true, AllowMultipleArgumentsPerToken = true };
        // Required: training never overwrites the shipped model unless asked to (scripts/train-shipped-model.sh does).
        var modelOut = new Option<string>("--out") { Description = "Model file to write", Required = true };
        var name = new Option<string>("--name") { Description = "Model name", DefaultValueFactory = _ => "fraudgateway" };
        var trees = new Option<int>("--trees") { Description = "Number of trees (each one costs explanation time; docs/performance.md has the cost of the shipped 100)", DefaultValueFactory = _ => 100 };
        var force = new Option<bool>("--force") { Description = "Replace an existing --out file (the shipped model included)" };
        train.Options.Add(data);
        train.Options.Add(force);
        train.Options.Add(modelOut);
        train.Options.Add(name);
        train.Options.Add(seedOption);
        train.Options.Add(trees);
        train.Options.Add(ipListsOption);
        train.SetAction(r => Guard(stderr, () => Train(r.GetValue(data)!, r.GetValue(modelOut)!, r.GetValue(force), r.GetValue(name)!, r.GetValue(seedOption), r.GetValue(trees), r.GetValue(ipListsOption)!, stdout, stderr)));

        var evaluate = new Command("evaluate", "Evaluate a model on held-out JSONL; write the model card (.md) and metrics (.json)");
        var model = new Option<string>("--model") { Description = "Model file", DefaultValueFactory = _ => DefaultPath("models/fraudgateway.zip") };
        var evalData = new Option<string>("--data") { Description = "Held-out JSONL file", Required = true };
        var card = new Option<string?>("--card") { Description = "Model card to write (default: next to the model, <name>.md)" };
        var heldOut = new Option<string>("--heldout") { Description = "Directory of the held-out user agents (never trained on)", DefaultValueFactory = _ => RealUserAgents.DefaultHeldOutDirectory };
        evaluate.Options.Add(model);
        evaluate.Options.Add(evalData);
        evaluate.Options.Add(card);
        evaluate.Options.Add(corpusOption);
        evaluate.Options.Add(heldOut);
        evaluate.Options.Add(headersOption);
        evaluate.Options.Add(seedOption);
        evaluate.Options.Add(ipListsOption);
        evaluate.SetAction(r => Guard(stderr, () => Evaluate(r.GetValue(model)!, r.GetValue(evalData)!, r.GetValue(card), r.GetValue(corpusOption)!, r.GetValue(heldOut)!,
            r.GetValue(headersOption)!, r.GetValue(seedOption), r.GetValue(ipListsOption)!, stdout, stderr)));

        var score = new Command("score", "Score requests from JSONL (a file or - for stdin): one JSON line per request with its score and top reasons");
        var input = new Argument<string>("input") { Description = "JSONL file, or - for standard input" };
        score.Arguments.Add(input);
        score.Options.Add(model);
        score.Options.Add(ipListsOption);
        score.SetAction(r => Guard(stderr, () => Score(r.GetValue(model)!, r.GetValue(input)!, r.GetValue(ipListsOption)!, stdout)));

        var capture = new Command("capture", "Record the headers real client software sends (loopback only; scripts/capture-client-headers.sh drives the clients)");
        var capturePort = new Option<int>("--port") { Description = "Loopback port to listen on", DefaultValueFactory = _ => 5099 };
        var captureOut = new Option<string>("--out") { Description = "JSONL file to append captured requests to", Required = true };
        var captureTls = new Option<bool>("--tls") { Description = "Speak HTTPS (a self-signed certificate made at start) and record each connection's JA4 TLS fingerprint" };
        capture.Options.Add(capturePort);
        capture.Options.Add(captureOut);
        var captureCertificate = new Option<string?>("--certificate") { Description = "With --tls: the server certificate (PEM; its key in --key) instead of a self-signed one" };
        var captureKey = new Option<string?>("--key") { Description = "With --certificate: its private key (PEM)" };
        capture.Options.Add(captureTls);
        capture.Options.Add(captureCertificate);
        capture.Options.Add(captureKey);
        capture.SetAction(async (r, cancel) => await CaptureAsync(r.GetValue(capturePort), r.GetValue(captureOut)!, r.GetValue(captureTls),
            r.GetValue(captureCertificate) is { } certificate ? (certificate, r.GetValue(captureKey) ?? "") : null, stderr, cancel));

        var breached = new Command("breached-passwords", "Compile a breach corpus (the Pwned Passwords SHA-1 file, or a plain list of passwords) into the gateway's memory-mapped membership file");
        var pwned = new Option<string?>("--pwned") { Description = "The Pwned Passwords SHA-1 file: <40 hex>:<count> per line, sorted by hash" };
        var plain = new Option<string?>("--plain") { Description = "A plain list of passwords, one per line (UTF-8); hashed here" };
        var breachedOut = new Option<string>("--out") { Description = "The compiled file to write (replaced only when complete)", Required = true };
        breached.Options.Add(pwned);
        breached.Options.Add(plain);
        breached.Options.Add(breachedOut);
        breached.SetAction(r => Guard(stderr, () => BreachedPasswords(r.GetValue(pwned), r.GetValue(plain), r.GetValue(breachedOut)!, stdout, stderr)));

        var root = new RootCommand("FraudGateway trainer: capture client headers, simulate traffic, train, evaluate and score the risk model");
        root.Subcommands.Add(capture);
        root.Subcommands.Add(breached);
        root.Subcommands.Add(simulate);
        root.Subcommands.Add(train);
        root.Subcommands.Add(evaluate);
        root.Subcommands.Add(score);
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static int BreachedPasswords(string? pwned, string? plain, string output, TextWriter stdout, TextWriter stderr)
    {
        if ((pwned is null) == (plain is null))
        {
            stderr.WriteLine("error: give exactly one of --pwned <file> and --plain <file>");
            return 1;
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = pwned is not null
            ? Model.Credentials.BreachedPasswordFileWriter.FromPwnedPasswords(pwned, output)
            : Model.Credentials.BreachedPasswordFileWriter.FromPlainList(plain!, output);
        stdout.WriteLine(FormattableString.Invariant(
            $"{output}: {result.Entries} hashes from {result.Lines} lines, {result.Bytes} bytes, bucket bits {result.BucketBits}, expected false-positive rate {result.FalsePositiveRate:E2}, {started.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    private static async Task<int> CaptureAsync(int port, string output, bool tls, (string, string)? certificate, TextWriter stderr, CancellationToken cancel)
    {
        if (port is < 1 or > 65535)
        {
            stderr.WriteLine($"error: --port {port} is not a TCP port (1-65535)");
            return 1;
        }

        Capture.HeaderCaptureServer server;
        try
        {
            server = await Capture.HeaderCaptureServer.StartAsync(port, output, tls, certificate);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            stderr.WriteLine($"error: cannot read the certificate or its key: {e.Message}");
            return 1;
        }
        catch (IOException e)
        {
            stderr.WriteLine($"error: cannot listen on 127.0.0.1:{port} or write {output}: {e.Message}");
            return 1;
        }

        await using var _ = server;
        stderr.WriteLine($"capturing on {server.Url} (loopback only) -> {output}; Ctrl-C stops");
        try
        {
            await Task.Delay(Timeout.Infinite, cancel);
        }
        catch (OperationCanceledException)
        {
        }

        stderr.WriteLine($"{server.Count} requests captured");
        return 0;
    }

    private static int Simulate(string output, SimulationOptions options, string corpusDirectory, string headersPath, string ipLists, TextWriter stderr)
    {
        var progress = Progress("simulate", stderr);
        var corpus = UserAgentCorpus.Load(corpusDirectory);
        var headers = CapturedHeaderCorpus.Load(headersPath);
        progress.Report($"corpora: {corpus.Browsers.Count} browser and {corpus.Crawlers.Count} crawler user agents, {headers.Sets.Count} captured header sets; seed {options.Seed}, split {options.Split}");
        var addresses = new AddressSpace();
        addresses.WriteLists(ipLists);
        var requests = new TrafficSimulator(options, corpus, new HeaderFactory(headers), addresses).Generate(progress);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        using var stream = File.Create(output);
        using var writer = new RecordWriter(stream);
        var written = 0;
        foreach (var (request, counters) in CounterReplay.Replay(requests))
        {
            writer.Write(request, counters);
            if (++written % 20000 == 0)
            {
                progress.Report($"{written}/{requests.Count} written");
            }
        }

        progress.Report($"{written} requests ({requests.Count(r => r.Abusive)} abusive) -> {output}; ip lists -> {ipLists}");
        return 0;
    }

    private static int Train(string[] files, string output, bool force, string name, int seed, int trees, string ipLists, TextWriter stdout, TextWriter stderr)
    {
        // Every input and the output checked before minutes of reading: each missing file named at once.
        var missing = files.Where(f => !File.Exists(f)).ToList();
        if (missing.Count > 0)
        {
            throw new TrainerException("--data: " + string.Join("; ", missing.Select(f => $"'{f}' does not exist")) + ".");
        }

        if (File.Exists(output) && !force)
        {
            throw new TrainerException($"--out '{output}' exists; pass --force to replace it (a gateway watching that file reloads it).");
        }

        var progress = Progress("train", stderr);
        var extractor = new FeatureExtractor(LoadIpLists(ipLists));
        var records = files.SelectMany(f => ReadAll(f, extractor, progress)).ToList();
        var result = ModelTrainer.Train(records, name, seed, trees, files.Select(Path.GetFileName).ToArray()!, output, progress);
        stdout.WriteLine($"model {output}: {result.Positives} abusive + {result.Negatives} benign rows, validation AUC-ROC {result.ValidationAuc:0.0000}, " +
            $"suggested thresholds challenge {result.Metadata.SuggestedChallengeThreshold} / block {result.Metadata.SuggestedBlockThreshold}");
        return 0;
    }

    private static int Evaluate(string modelPath, string file, string? cardPath, string corpusDirectory, string heldOutDirectory, string headersPath, int seed, string ipLists,
        TextWriter stdout, TextWriter stderr)
    {
        var progress = Progress("evaluate", stderr);
        var model = RiskModel.Load(modelPath);
        var extractor = new FeatureExtractor(LoadIpLists(ipLists));
        var records = ReadAll(file, extractor, progress);
        var realData = new RealDataInputs(RealUserAgents.Load(UserAgentCorpus.Load(corpusDirectory), heldOutDirectory), CapturedHeaderCorpus.Load(headersPath));
        var report = ModelEvaluator.Evaluate(model, records, realData, extractor,
            model.Metadata.SuggestedChallengeThreshold, model.Metadata.SuggestedBlockThreshold, seed, progress);
        cardPath ??= Path.ChangeExtension(modelPath, ".md");
        File.WriteAllText(cardPath, ModelEvaluator.ToModelCard(report, model.Metadata, Path.GetFileName(file)));
        var metricsPath = Path.ChangeExtension(cardPath, ".metrics.json");
        File.WriteAllText(metricsPath, ModelEvaluator.ToJson(report));
        var block = report.Thresholds.First(t => t.Threshold == report.BlockThreshold);
        var real = report.RealData!;
        foreach (var i in real.Invariance)
        {
            stdout.WriteLine($"invariance '{i.Variant}': {i.Blocked} of {i.Scored} real-browser first logins blocked, worst UTC hour {i.WorstHour:00}:00 challenged {i.WorstHourChallengeRate:P2}");
        }

        foreach (var u in real.UserAgentSets)
        {
            stdout.WriteLine($"{u.Source} {(u.IsBot ? "bots" : "browsers")} under the {u.HeaderSet} header set: {u.ChallengeRate:P2} at/above challenge, {u.BlockRate:P2} at/above block (isbot {u.IsbotRate:P2})");
        }

        stdout.WriteLine($"{model.Version}: simulated held-out AUC-ROC {report.AucRoc:0.0000}, AUC-PR {report.AucPr:0.0000}; at block {report.BlockThreshold}: " +
            $"recall {block.Recall:0.0000}, FPR {block.FalsePositiveRate:0.00000}; card {cardPath}, metrics {metricsPath}");
        return 0;
    }

    private static int Score(string modelPath, string input, string ipLists, TextWriter stdout)
    {
        var model = RiskModel.Load(modelPath);
        var extractor = new FeatureExtractor(LoadIpLists(ipLists));
        var reader = new RecordReader(extractor);
        using var text = input == "-" ? Console.In : new StreamReader(input);
        foreach (var record in reader.Read(text))
        {
            if (!record.IsValid)
            {
                stdout.WriteLine(JsonSerializer.Serialize(new { line = record.Line, error = record.Error }));
                continue;
            }

            var result = model.Explain(record.Features);
            var decision = IndependentEvidence.Decide(model, extractor, record.Facts, result.Probability, model.Metadata.SuggestedChallengeThreshold,
                model.Metadata.SuggestedBlockThreshold, out var evidence).ToString().ToLowerInvariant();
            stdout.WriteLine(JsonSerializer.Serialize(new
            {
                line = record.Line,
                score = Math.Round(result.Probability, 4),
                decision,
                evidence,
                reasons = result.Reasons.Select(reason => new { feature = reason.Feature, value = reason.Value, contribution = Math.Round(reason.Contribution, 4) }),
            }));
        }

        return 0;
    }

    private static List<LoadedRecord> ReadAll(string file, FeatureExtractor extractor, IProgress<string> progress)
    {
        if (!File.Exists(file))
        {
            throw new TrainerException($"{file}: file not found");
        }

        var reader = new RecordReader(extractor);
        using var text = new StreamReader(file);
        var records = reader.Read(text).ToList();
        var bad = records.Where(r => !r.IsValid).ToList();
        if (bad.Count > 0)
        {
            throw new TrainerException($"{file}: {bad.Count} line(s) cannot be read:\n  " + string.Join("\n  ", bad.Take(10).Select(b => b.Error)) + (bad.Count > 10 ? "\n  ..." : ""));
        }

        if (records.Count == 0)
        {
            throw new TrainerException($"{file}: the file has no records.");
        }

        progress.Report($"{file}: {records.Count} records");
        return records;
    }

    public static IpLists LoadIpLists(string directory)
    {
        var errors = new List<string>();
        string[]? Files(string name) => File.Exists(Path.Combine(directory, name)) ? [Path.Combine(directory, name)] : null;
        var lists = IpLists.Load(Files("datacenter.txt"), Files("tor.txt"), Files("vpn.txt"), errors);
        if (errors.Count > 0)
        {
            throw new TrainerException("IP list files have errors:\n  " + string.Join("\n  ", errors.Take(10)));
        }

        return lists;
    }

    private static int Guard(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is TrainerException or ModelLoadException or FileNotFoundException or IOException or UnauthorizedAccessException or FormatException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static SyncProgress Progress(string command, TextWriter stderr)
    {
        var clock = Stopwatch.StartNew();
        return new SyncProgress(message => stderr.WriteLine($"[{command} {clock.Elapsed.TotalSeconds,6:0.0}s] {message}"));
    }

    // A path under the repository root (found above the working directory, else above the trainer's own
    // directory), or the relative path as given outside a checkout.
    public static string DefaultPath(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "FraudGateway.sln")))
                {
                    return Path.Combine(dir.FullName, relative);
                }
            }
        }

        return relative;
    }

    private sealed class SyncProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
