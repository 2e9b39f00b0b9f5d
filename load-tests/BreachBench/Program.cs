using System.Diagnostics;
using System.Globalization;
using System.Text;
using FraudGateway.Model.Credentials;

// Usage: BreachBench <work folder> [hash counts...]   (default: 10000000 100000000)
// For each count: writes a synthetic Pwned Passwords file (random SHA-1 values, sorted, "<40 hex>:<count>" CRLF lines,
// as the downloader writes them; not timed), compiles it with the trainer's writer (timed: both passes), opens it as
// the gateway does (a private snapshot, its checksum: timed), then times 2,000,000 lookups of passwords that are not
// in it (SHA-1 included, one thread) and counts how many are reported breached. Deletes its files.
var folder = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "breach-bench");
var counts = args.Length > 1 ? args.Skip(1).Select(a => long.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [10_000_000L, 100_000_000L];
Directory.CreateDirectory(folder);
Console.WriteLine("hashes       text file  build s   file bytes     bits  open s  lookup us  lookup B  false positives");
foreach (var count in counts)
{
    var text = Path.Combine(folder, $"pwned-{count}.txt");
    var output = Path.Combine(folder, $"corpus-{count}.bin");
    WritePwned(text, count);
    var build = Stopwatch.StartNew();
    var result = BreachedPasswordFileWriter.FromPwnedPasswords(text, output);
    build.Stop();
    var open = Stopwatch.StartNew();
    using (var file = BreachedPasswordFile.Open(output))
    {
        open.Stop();
        var probes = Enumerable.Range(0, 4096).Select(i => Encoding.UTF8.GetBytes($"not-breached-{i}")).ToArray();
        for (var i = 0; i < 200_000; i++)
        {
            file.Contains(probes[i & 4095]);
        }

        const int lookups = 2_000_000;
        var falsePositives = 0;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < lookups; i++)
        {
            var probe = probes[i & 4095];
            probe[^1] = (byte)('0' + (i % 10));
            falsePositives += file.Contains(probe) ? 1 : 0;
        }

        clock.Stop();
        var bytes = (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)lookups;
        Console.WriteLine(FormattableString.Invariant(
            $"{count,11:N0}  {new FileInfo(text).Length,10:N0}  {build.Elapsed.TotalSeconds,7:0.0}  {result.Bytes,13:N0}  {result.BucketBits,5}  {open.Elapsed.TotalSeconds,6:0.0}  {clock.Elapsed.TotalMicroseconds / lookups,9:0.00}  {bytes,8:0}  {falsePositives} in {lookups:N0} (expected {result.FalsePositiveRate:E1} each)"));
    }

    File.Delete(text);
    File.Delete(output);
}

// Sorted random SHA-1 values: the first 64 bits drawn and sorted, the other 96 random.
static void WritePwned(string path, long count)
{
    var random = new Random(42);
    var keys = new ulong[count];
    for (var i = 0L; i < count; i++)
    {
        keys[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
    }

    Array.Sort(keys);
    using var writer = new StreamWriter(path, false, Encoding.ASCII, 1 << 20);
    Span<char> line = stackalloc char[64];
    for (var i = 0L; i < count; i++)
    {
        keys[i].TryFormat(line, out _, "X16", CultureInfo.InvariantCulture);
        for (var c = 16; c < 40; c++)
        {
            line[c] = "0123456789ABCDEF"[random.Next(16)];
        }

        line[40] = ':';
        random.Next(1, 100_000).TryFormat(line[41..], out var digits, default, CultureInfo.InvariantCulture);
        writer.Write(line[..(41 + digits)]);
        writer.Write("\r\n");
    }
}
