namespace FraudGateway.Model;

// One contributing feature: its name, the value it had and how much it pushed the score up.
public readonly record struct RiskReason(string Feature, float Value, float Contribution)
{
    public override string ToString() => $"{Feature}={Value:0.###} (+{Contribution:0.###})";
}

public readonly record struct RiskScore(float Probability, RiskReason[] Reasons);
