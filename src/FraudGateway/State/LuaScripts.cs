namespace FraudGateway.State;

// Scripts live in State/Scripts/*.lua as embedded resources, one file each, written with KEYS[n] / ARGV[n]
// so every key is declared to Redis and the scripts stay Redis-Cluster-safe.
internal static class LuaScripts
{
    public static readonly string BanIndexAdd = ReadSource("ban_index_add");

    public static readonly string BanIndexLive = ReadSource("ban_index_live");

    public static readonly string Counters = ReadSource("counters");

    public static readonly string ClaimRelease = ReadSource("claim_release");

    public static readonly string StreamAdd = ReadSource("stream_add");

    public static readonly string ApproxSync = ReadSource("approx_sync");

    public static IReadOnlyList<string> Names { get; } = ["ban_index_add", "ban_index_live", "counters", "claim_release", "stream_add", "approx_sync"];

    public static IReadOnlyList<string> All { get; } = [BanIndexAdd, BanIndexLive, Counters, ClaimRelease, StreamAdd, ApproxSync];

    public static string ReadSource(string name)
    {
        var resource = $"FraudGateway.State.Scripts.{name}.lua";
        using var stream = typeof(LuaScripts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded Lua script '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
