using FraudGateway.Model;

namespace FraudGateway.Trainer.Data;

// One JSONL line after reading: its feature vector (and, for a request record, the facts it was extracted from), or
// the reason it could not be read.
public sealed record LoadedRecord(int Line, float[]? Features, bool? Label, string? Scenario, RequestFacts? Facts, string? Error)
{
    public bool IsValid => Error is null;

    public string? UserAgent => Facts?.UserAgent;
}
