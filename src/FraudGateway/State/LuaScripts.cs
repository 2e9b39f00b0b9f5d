namespace FraudGateway.State;

// Scripts live in State/Scripts/*.lua as embedded resources, one file each, written with KEYS[n] / ARGV[n]
// so every key is declared to Redis and the scripts stay Redis-Cluster-safe. Code two scripts share lives in its own
// file, put in place of a line "-- include <name>" (Redis scripts cannot load one another).
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

    private const string IncludeLine = "-- include ";

    public static string ReadSource(string name)
    {
        var resource = $"FraudGateway.State.Scripts.{name}.lua";
        using var stream = typeof(LuaScripts).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded Lua script '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith(IncludeLine, StringComparison.Ordinal))
            {
                lines[i] = ReadSource(lines[i][IncludeLine.Length..].Split(' ')[0].TrimEnd('\r')).TrimEnd('\n');
            }
        }

        return string.Join('\n', lines);
    }
}
