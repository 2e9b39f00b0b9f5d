namespace FraudGateway.Trainer.Simulation;

public sealed record SimulationOptions(int Seed, CorpusSplit Split, double Scale = 1.0, int Days = 3)
{
    public DateTimeOffset Start { get; init; } = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
}
