using System.Net;

namespace FraudGateway.Model;

// Everything the extractor reads about one request. The gateway fills it from the live request; the trainer from a
// JSONL record (TrainingRecord). Unknown numbers stay -1.
public sealed class RequestFacts
{
    public IPAddress? Ip { get; set; }

    public string? UserAgent { get; set; }

    public string Method { get; set; } = "GET";

    public string? Accept { get; set; }

    public string? AcceptLanguage { get; set; }

    public string? AcceptEncoding { get; set; }

    public string? SecFetchSite { get; set; }

    public string? SecFetchMode { get; set; }

    public string? SecFetchDest { get; set; }

    // Sec-CH-UA, e.g. "Chromium";v="130", "Google Chrome";v="130", "Not?A_Brand";v="99"
    public string? SecChUa { get; set; }

    public string? ContentType { get; set; }

    public long BodyLength { get; set; } = -1;

    // Orders requests (the trainer's arrival history); never a feature itself.
    public DateTimeOffset Timestamp { get; set; }

    public double SecondsSincePrevious { get; set; } = -1;

    public double InterArrivalCv { get; set; } = -1;

    // Indexed like FeatureSchema.CounterSlots; -1 when the counter is not available.
    public float[] Counters { get; } = NewCounters();

    // 1 / 0, or -1 when the request carried no e-mail.
    public int EmailDisposable { get; set; } = -1;

    public int MessageLinks { get; set; } = -1;

    public double FormFillSeconds { get; set; } = -1;

    public void SetCounter(int featureSlot, float value) => Counters[featureSlot - FeatureSchema.RequestsPerIpMinute] = value;

    public float GetCounter(int featureSlot) => Counters[featureSlot - FeatureSchema.RequestsPerIpMinute];

    private static float[] NewCounters()
    {
        var counters = new float[FeatureSchema.DistinctIpsPerAccount - FeatureSchema.RequestsPerIpMinute + 1];
        Array.Fill(counters, -1f);
        return counters;
    }
}
