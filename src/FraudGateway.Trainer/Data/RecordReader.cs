using System.Globalization;
using System.Net;
using System.Text.Json;
using FraudGateway.Model;

namespace FraudGateway.Trainer.Data;

// Reads the JSONL schema of docs/training-data.md. Two forms per line:
//  - a request: timestamp, ip, method, userAgent, headers, counters, body, optional label/scenario; the features
//    are extracted here with the gateway's own FeatureExtractor;
//  - a decision record the gateway exported: {"features": {"<name>": value, ...}, "label": 0|1}.
// A line that cannot be read becomes a record with an Error ("line 12: counters.failuresPerIp is not a number"),
// never an exception: `score` prints it, `train` and `evaluate` refuse the file.
// Time since the previous request and inter-arrival regularity are worked out per ip in file order when a request
// line does not carry them (secondsSincePrevious / interArrivalCv).
public sealed class RecordReader(FeatureExtractor extractor)
{
    public const int MaxLineChars = 1 << 20;

    private readonly Dictionary<string, ArrivalHistory> _arrivals = [];

    public IEnumerable<LoadedRecord> Read(TextReader reader)
    {
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return ReadLine(line, lineNumber);
        }
    }

    public LoadedRecord ReadLine(string line, int lineNumber)
    {
        if (line.Length > MaxLineChars)
        {
            return Bad(lineNumber, $"the line is longer than {MaxLineChars} characters");
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Bad(lineNumber, "not a JSON object");
            }

            bool? label = null;
            if (root.TryGetProperty("label", out var labelElement))
            {
                label = labelElement.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number when labelElement.TryGetInt32(out var n) && n is 0 or 1 => n == 1,
                    JsonValueKind.Null => null,
                    _ => throw new FormatException("label must be 0, 1, true or false"),
                };
            }

            var scenario = root.TryGetProperty("scenario", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (root.TryGetProperty("features", out var features))
            {
                return new LoadedRecord(lineNumber, ReadFeatureForm(features), label, scenario, null, null);
            }

            var facts = ReadRequest(root);
            return new LoadedRecord(lineNumber, extractor.Extract(facts), label, scenario, facts, null);
        }
        catch (JsonException e)
        {
            return Bad(lineNumber, $"not valid JSON ({e.Message})");
        }
        catch (FormatException e)
        {
            return Bad(lineNumber, e.Message);
        }
    }

    private static float[] ReadFeatureForm(JsonElement features)
    {
        if (features.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("features must be an object of feature name -> number");
        }

        var vector = new float[FeatureSchema.Count];
        Array.Fill(vector, -1f);
        foreach (var property in features.EnumerateObject())
        {
            var slot = FeatureSchema.IndexOf(property.Name);
            if (slot < 0)
            {
                throw new FormatException($"features.{property.Name} is not a feature of schema {FeatureSchema.Version}");
            }

            vector[slot] = Number(property.Value, $"features.{property.Name}");
        }

        return vector;
    }

    private RequestFacts ReadRequest(JsonElement root)
    {
        var facts = new RequestFacts
        {
            UserAgent = OptionalString(root, "userAgent"),
            Method = OptionalString(root, "method") ?? "POST",
            ContentType = OptionalString(root, "contentType"),
        };

        var timestamp = OptionalString(root, "timestamp") ?? throw new FormatException("timestamp is missing");
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new FormatException($"timestamp '{Cut(timestamp)}' is not an ISO 8601 date and time");
        }

        facts.Timestamp = time;
        var ipText = OptionalString(root, "ip");
        if (ipText is not null)
        {
            facts.Ip = IPAddress.TryParse(ipText, out var ip) ? ip : throw new FormatException($"ip '{Cut(ipText)}' is not an IP address");
        }

        if (root.TryGetProperty("headers", out var headers))
        {
            if (headers.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("headers must be an object");
            }

            foreach (var header in headers.EnumerateObject())
            {
                var value = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() : header.Value.GetRawText();
                switch (header.Name.ToLowerInvariant())
                {
                    case "accept": facts.Accept = value; break;
                    case "accept-language": facts.AcceptLanguage = value; break;
                    case "accept-encoding": facts.AcceptEncoding = value; break;
                    case "sec-fetch-site": facts.SecFetchSite = value; break;
                    case "sec-fetch-mode": facts.SecFetchMode = value; break;
                    case "sec-fetch-dest": facts.SecFetchDest = value; break;
                    case "sec-ch-ua": facts.SecChUa = value; break;
                    case "user-agent": facts.UserAgent ??= value; break;
                    case "content-type": facts.ContentType ??= value; break;
                }
            }
        }

        if (root.TryGetProperty("bodyLength", out var bodyLength))
        {
            facts.BodyLength = (long)Number(bodyLength, "bodyLength");
        }

        if (root.TryGetProperty("counters", out var counters))
        {
            if (counters.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("counters must be an object");
            }

            foreach (var counter in counters.EnumerateObject())
            {
                if (!FeatureSchema.CounterSlots.TryGetValue(counter.Name, out var slot))
                {
                    throw new FormatException($"counters.{counter.Name} is not a known counter ({string.Join(", ", FeatureSchema.CounterSlots.Keys)})");
                }

                facts.SetCounter(slot, Number(counter.Value, $"counters.{counter.Name}"));
            }
        }

        if (root.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object)
        {
            if (body.TryGetProperty("emailDisposable", out var disposable))
            {
                facts.EmailDisposable = disposable.ValueKind switch
                {
                    JsonValueKind.True => 1,
                    JsonValueKind.False => 0,
                    _ => (int)Number(disposable, "body.emailDisposable"),
                };
            }

            if (body.TryGetProperty("messageLinks", out var links))
            {
                facts.MessageLinks = (int)Number(links, "body.messageLinks");
            }

            if (body.TryGetProperty("formFillSeconds", out var fill))
            {
                facts.FormFillSeconds = Number(fill, "body.formFillSeconds");
            }
        }

        var hasSince = root.TryGetProperty("secondsSincePrevious", out var since);
        var hasCv = root.TryGetProperty("interArrivalCv", out var cv);
        var key = facts.Ip?.ToString() ?? "";
        if (!_arrivals.TryGetValue(key, out var history))
        {
            _arrivals[key] = history = new ArrivalHistory();
        }

        var (replayedSince, replayedCv) = history.Observe(facts.Timestamp);
        facts.SecondsSincePrevious = hasSince ? Number(since, "secondsSincePrevious") : replayedSince;
        facts.InterArrivalCv = hasCv ? Number(cv, "interArrivalCv") : replayedCv;
        return facts;
    }

    private static float Number(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return -1;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d))
        {
            return (float)d;
        }

        throw new FormatException($"{name} is not a number ({Cut(value.GetRawText())})");
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw new FormatException($"{name} must be a string")
            : null;

    private static string Cut(string text) => text.Length > 40 ? text[..40] + "..." : text;

    private static LoadedRecord Bad(int line, string error) => new(line, null, null, null, null, $"line {line}: {error}");
}
