using System.Security.Cryptography;
using System.Text;
using FraudGateway.Model.Credentials;

namespace FraudGateway.Tests.Model.Credentials;

public sealed class BreachedPasswordFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fraudgateway-breach-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_folder, name);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "The Pwned Passwords format is SHA-1.")]
    private static string Sha1(string password) => Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(password)));

    // The Pwned Passwords file as its downloader writes it: sorted by hash, CRLF, counts.
    private string Pwned(IEnumerable<string> passwords, bool lowerCase = false, string newline = "\r\n")
    {
        var lines = passwords.Select(p => Sha1(p)).Order(StringComparer.Ordinal).Select((h, i) => (lowerCase ? h.ToLowerInvariant() : h) + ":" + (i + 1));
        var path = Path("pwned.txt");
        File.WriteAllText(path, string.Join(newline, lines) + newline);
        return path;
    }

    [Theory]
    [InlineData(false, "\r\n")]
    [InlineData(true, "\n")]
    public void The_pwned_passwords_format_is_read_exactly(bool lowerCase, string newline)
    {
        var passwords = new[] { "123456", "password", "qwerty", "Pa$$w0rd", "été-2024", "correct horse" };
        var result = BreachedPasswordFileWriter.FromPwnedPasswords(Pwned(passwords, lowerCase, newline), Path("out.bin"));

        Assert.Equal(6, result.Entries);
        using var file = BreachedPasswordFile.Open(Path("out.bin"));
        Assert.All(passwords, p => Assert.True(file.Contains(p.AsSpan())));
        Assert.False(file.Contains("not-in-the-corpus-4711".AsSpan()));
    }

    [Theory]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456:3", 2)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF012345678:3", 2)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF0123456G:3", 2)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567", 2)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567:", 2)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567:-1", 2)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF01234567:0", 2)]
    public void A_malformed_line_is_refused_with_its_number_and_nothing_is_written(string bad, int number)
    {
        File.WriteAllText(Path("pwned.txt"), "0000000000000000000000000000000000000001:5\r\n" + bad + "\r\n");

        var error = Assert.Throws<FormatException>(() => BreachedPasswordFileWriter.FromPwnedPasswords(Path("pwned.txt"), Path("out.bin")));

        Assert.Contains($"line {number}:", error.Message);
        Assert.False(File.Exists(Path("out.bin")));
    }

    [Fact]
    public void An_unsorted_file_is_refused_with_the_line_out_of_order()
    {
        File.WriteAllText(Path("pwned.txt"), "F000000000000000000000000000000000000000:1\n0000000000000000000000000000000000000001:1\n");

        var error = Assert.Throws<FormatException>(() => BreachedPasswordFileWriter.FromPwnedPasswords(Path("pwned.txt"), Path("out.bin")));

        Assert.Contains("line 2: not sorted", error.Message);
    }

    [Fact]
    public void A_plain_list_and_its_pwned_form_compile_to_the_same_file()
    {
        var passwords = Enumerable.Range(0, 5000).Select(i => $"password-{i}").ToList();
        File.WriteAllLines(Path("plain.txt"), passwords);

        BreachedPasswordFileWriter.FromPlainList(Path("plain.txt"), Path("plain.bin"));
        BreachedPasswordFileWriter.FromPwnedPasswords(Pwned(passwords), Path("pwned.bin"));

        Assert.Equal(File.ReadAllBytes(Path("plain.bin")), File.ReadAllBytes(Path("pwned.bin")));
    }

    // Measured, not only computed: 200,000 corpus passwords all found, 1,000,000 others never reported.
    [Fact]
    public void No_false_negatives_and_a_measured_false_positive_rate_under_a_tenth_of_a_percent()
    {
        var random = new Random(11);
        var corpus = Enumerable.Range(0, 200_000).Select(_ => random.NextInt64().ToString("x", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        File.WriteAllLines(Path("plain.txt"), corpus);
        BreachedPasswordFileWriter.FromPlainList(Path("plain.txt"), Path("out.bin"));
        using var file = BreachedPasswordFile.Open(Path("out.bin"));

        Assert.All(corpus, p => Assert.True(file.Contains(p.AsSpan())));
        var falsePositives = Enumerable.Range(0, 1_000_000).Count(i => file.Contains(("other-" + i).AsSpan()) == true);
        Assert.True(falsePositives <= 1000, $"{falsePositives} false positives in 1,000,000");
        Assert.Equal(0, falsePositives);
        Assert.True(file.FalsePositiveRate < 1e-6);
    }

    [Fact]
    public void A_corrupt_truncated_or_foreign_file_is_refused()
    {
        BreachedPasswordFileWriter.FromPlainList(WriteLines("plain.txt", "123456", "password"), Path("good.bin"));
        var good = File.ReadAllBytes(Path("good.bin"));

        var flipped = (byte[])good.Clone();
        flipped[^3] ^= 0x40;
        File.WriteAllBytes(Path("flipped.bin"), flipped);
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => BreachedPasswordFile.Open(Path("flipped.bin"))).Message);

        File.WriteAllBytes(Path("truncated.bin"), good[..^4]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => BreachedPasswordFile.Open(Path("truncated.bin"))).Message);

        File.WriteAllText(Path("foreign.bin"), new string('x', 200));
        Assert.Contains("not a compiled breach corpus", Assert.Throws<InvalidDataException>(() => BreachedPasswordFile.Open(Path("foreign.bin"))).Message);

        File.WriteAllBytes(Path("empty.bin"), []);
        Assert.Throws<InvalidDataException>(() => BreachedPasswordFile.Open(Path("empty.bin")));
    }

    [Fact]
    public void A_lookup_allocates_nothing()
    {
        BreachedPasswordFileWriter.FromPlainList(WriteLines("plain.txt", "123456", "password"), Path("out.bin"));
        using var file = BreachedPasswordFile.Open(Path("out.bin"));
        var password = "123456"u8.ToArray();
        file.Contains(password);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            file.Contains(password);
            file.Contains("letmein".AsSpan());
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_password_too_long_to_check_is_not_checked()
    {
        BreachedPasswordFileWriter.FromPlainList(WriteLines("plain.txt", "123456"), Path("out.bin"));
        using var file = BreachedPasswordFile.Open(Path("out.bin"));

        Assert.Null(file.Contains(new string('a', BreachedPasswordFile.MaxPasswordBytes + 1).AsSpan()));
    }

    // The shipped demo corpus is what the committed script makes of zxcvbn's list: recompiled here byte for byte.
    [Fact]
    public void The_shipped_corpus_is_the_compiled_zxcvbn_list()
    {
        var root = FraudGateway.Tests.Model.RepoPaths.Root;
        var source = System.IO.Path.Combine(root, "data", "breached-passwords", "zxcvbn-passwords.txt");
        var result = BreachedPasswordFileWriter.FromPwnedPasswords(source, Path("recompiled.bin"));

        Assert.Equal(30_000, result.Entries);
        Assert.Equal(File.ReadAllBytes(System.IO.Path.Combine(root, "src", "FraudGateway", "data", "breached-passwords.bin")), File.ReadAllBytes(Path("recompiled.bin")));
        using var file = BreachedPasswordFile.Open(Path("recompiled.bin"));
        Assert.True(file.Contains("123456".AsSpan()));
        Assert.True(file.Contains("password".AsSpan()));
        Assert.False(file.Contains("correct-horse-battery".AsSpan()));
    }

    private string WriteLines(string name, params string[] lines)
    {
        File.WriteAllLines(Path(name), lines);
        return Path(name);
    }
}
