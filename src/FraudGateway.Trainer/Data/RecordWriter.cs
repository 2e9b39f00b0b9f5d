using System.Text.Json;
using FraudGateway.Model;
using FraudGateway.Trainer.Simulation;

namespace FraudGateway.Trainer.Data;

// Writes requests in the documented JSONL schema (docs/training-data.md), one JSON object per line.
public sealed class RecordWriter(Stream stream) : IDisposable
{
    private readonly Utf8JsonWriter _json = new(stream, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    private static readonly string[] CounterNames = [.. FeatureSchema.CounterSlots.OrderBy(kv => kv.Value).Select(kv => kv.Key)];

    public void Write(SimulatedRequest r, float[] counters)
    {
        var h = r.Headers;
        _json.WriteStartObject();
        _json.WriteString("timestamp", r.Time.ToString("O"));
        _json.WriteString("ip", r.Ip.ToString());
        _json.WriteString("method", h.Method);
        _json.WriteString("endpoint", r.Endpoint.ToString().ToLowerInvariant());
        if (h.UserAgent is not null)
        {
            _json.WriteString("userAgent", h.UserAgent);
        }

        _json.WriteStartObject("headers");
        WriteIfSet("accept", h.Accept);
        WriteIfSet("accept-language", h.AcceptLanguage);
        WriteIfSet("accept-encoding", h.AcceptEncoding);
        WriteIfSet("sec-fetch-site", h.SecFetchSite);
        WriteIfSet("sec-fetch-mode", h.SecFetchMode);
        WriteIfSet("sec-fetch-dest", h.SecFetchDest);
        WriteIfSet("sec-ch-ua", h.SecChUa);
        _json.WriteEndObject();
        if (h.Method != "GET")
        {
            _json.WriteString("contentType", h.ContentType);
        }

        _json.WriteNumber("bodyLength", r.BodyLength);
        _json.WriteStartObject("counters");
        for (var i = 0; i < counters.Length; i++)
        {
            if (counters[i] >= 0)
            {
                _json.WriteNumber(CounterNames[i], counters[i]);
            }
        }

        _json.WriteEndObject();
        _json.WriteStartObject("body");
        if (r.EmailDisposable >= 0)
        {
            _json.WriteBoolean("emailDisposable", r.EmailDisposable == 1);
        }

        if (r.MessageLinks >= 0)
        {
            _json.WriteNumber("messageLinks", r.MessageLinks);
        }

        if (r.FormFillSeconds >= 0)
        {
            _json.WriteNumber("formFillSeconds", Math.Round(r.FormFillSeconds, 2));
        }

        _json.WriteEndObject();
        _json.WriteNumber("label", r.Abusive ? 1 : 0);
        _json.WriteString("scenario", r.Scenario);
        _json.WriteEndObject();
        _json.Flush();
        stream.WriteByte((byte)'\n');
        _json.Reset();
    }

    public void Dispose()
    {
        _json.Flush();
        _json.Dispose();
    }

    private void WriteIfSet(string name, string? value)
    {
        if (value is not null)
        {
            _json.WriteString(name, value);
        }
    }
}
