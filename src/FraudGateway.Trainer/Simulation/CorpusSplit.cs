namespace FraudGateway.Trainer.Simulation;

public enum CorpusSplit
{
    // Browser families and crawlers of the training side only.
    Train,

    // Held-out evaluation: half the browser traffic from families never trained on, crawlers never trained on.
    Holdout,

    // Every family and crawler.
    All,
}
