namespace FraudGateway.Scoring;

/// <summary>
/// FraudGateway:Model: the risk model files and the operator's address lists the features read.
/// </summary>
internal sealed class ModelOptions
{
    /// <summary>
    /// The live model. Null or empty: the shipped model, published next to the gateway's binary
    /// (&lt;app directory&gt;/models/fraudgateway.zip). Relative paths, here and below, resolve against the content root
    /// (the working directory the gateway starts in, or --contentRoot), like every other ASP.NET Core path.
    /// Reloaded when the file changes; changing the setting itself needs a restart.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// A candidate scored beside the live one on every scored request, never enforced; disagreements are logged
    /// and counted. Null: none.
    /// </summary>
    public string? CandidatePath { get; set; }

    /// <summary>
    /// CIDR list files (one network per line, '#' comments): hosting/datacenter ranges, Tor exits, VPN providers.
    /// </summary>
    public List<string> DatacenterLists { get; set; } = [];

    public List<string> TorLists { get; set; } = [];

    public List<string> VpnLists { get; set; } = [];

    /// <summary>
    /// How many clients' recent arrival times (time since previous request, regularity) are kept in memory.
    /// </summary>
    public int ArrivalHistoryClients { get; set; } = 100_000;
}
