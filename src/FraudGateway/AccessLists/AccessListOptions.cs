namespace FraudGateway.AccessLists;

/// <summary>
/// Global lists, applied on every protected route before the policy's own lists.
/// </summary>
internal sealed class AccessListOptions
{
    public List<string> Allow { get; set; } = [];

    public List<string> Deny { get; set; } = [];
}
