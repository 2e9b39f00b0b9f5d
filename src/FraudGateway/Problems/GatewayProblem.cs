namespace FraudGateway.Problems;

// A kind of answer the gateway writes itself. Slug is the stable part of the type URI that clients and
// dashboards key on; Title is for humans. Neither ever carries internals (addresses, exception text).
public sealed record GatewayProblem(string Slug, int Status, string Title)
{
    public const string TypePrefix = "urn:fraudgateway:problem:";

    public string Type { get; } = TypePrefix + Slug;
}
