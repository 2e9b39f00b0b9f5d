namespace FraudGateway.Scoring;

// FraudGateway:Model: the risk model files and the operator's address lists the features read.
internal sealed class ModelOptions
{
    // The live model. Relative paths are resolved against the gateway's directory. Reloaded when the file changes.
    public string Path { get; set; } = "models/fraudgateway.zip";

    // A candidate scored beside the live one on every scored request, never enforced; disagreements are logged
    // and counted. Null: none.
    public string? CandidatePath { get; set; }

    // CIDR list files (one network per line, '#' comments): hosting/datacenter ranges, Tor exits, VPN providers.
    public List<string> DatacenterLists { get; set; } = [];

    public List<string> TorLists { get; set; } = [];

    public List<string> VpnLists { get; set; } = [];

    // How many clients' recent arrival times (time since previous request, regularity) are kept in memory.
    public int ArrivalHistoryClients { get; set; } = 100_000;
}
