using FraudGateway.Model.Credentials;
using FraudGateway.Tests.TestSupport;

namespace FraudGateway.Tests.Credentials;

// The corpus in use and its reload: a replaced file is picked up, a corrupt one refused with the previous one kept, a
// missing one means nothing is checked until it appears.
public sealed class BreachedPasswordsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("fraudgateway-breached-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Corpus => Path.Combine(_folder, "corpus.bin");

    private void Compile(params string[] passwords)
    {
        var plain = Path.Combine(_folder, "plain.txt");
        File.WriteAllLines(plain, passwords);
        BreachedPasswordFileWriter.FromPlainList(plain, Corpus);
    }

    [Fact]
    public void A_replaced_file_is_reloaded_and_a_corrupt_one_refused()
    {
        Compile("123456");
        using var service = TestBreachedPasswords.Create(Corpus);
        Assert.True(service.Check("123456".AsSpan()));
        Assert.False(service.Check("letmein".AsSpan()));

        Compile("letmein", "dragon");
        service.CheckForReplacement();
        Assert.True(service.Check("letmein".AsSpan()));
        Assert.False(service.Check("123456".AsSpan()));
        Assert.Equal(2, service.Count);

        File.WriteAllBytes(Corpus, new byte[300]);
        service.CheckForReplacement();
        Assert.True(service.Check("letmein".AsSpan()));
        Assert.Equal(2, service.Count);
    }

    [Fact]
    public void Missing_at_start_nothing_is_checked_until_the_file_appears()
    {
        using var service = TestBreachedPasswords.Create(Corpus);
        Assert.Null(service.Check("123456".AsSpan()));
        Assert.Null(service.Check("123456"u8));

        Compile("123456");
        service.CheckForReplacement();
        Assert.True(service.Check("123456"u8));
    }

    [Fact]
    public void Disabled_nothing_is_loaded_checked_or_sent()
    {
        Compile("123456");
        using var service = TestBreachedPasswords.Create(Corpus, enabled: false);

        Assert.Null(service.Check("123456".AsSpan()));
        Assert.Null(service.HeaderName);
    }
}
