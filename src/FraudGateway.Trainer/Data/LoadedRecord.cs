namespace FraudGateway.Trainer.Data;

// One JSONL line after reading: its feature vector, or the reason it could not be read.
public sealed record LoadedRecord(int Line, float[]? Features, bool? Label, string? Scenario, string? UserAgent, string? Error)
{
    public bool IsValid => Error is null;
}
