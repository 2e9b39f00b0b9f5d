using System.Security.Cryptography;
using FraudGateway.Model.Credentials;

namespace FraudGateway.Tests.Model.Credentials;

public class Sha1Tests
{
    // Every length from empty to several blocks (the padding's one- and two-block cases included), random bytes.
    [Fact]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "The reference the managed SHA-1 is held to.")]
    public void Equals_the_platforms_SHA1_for_every_length()
    {
        var random = new Random(3);
        Span<byte> ours = stackalloc byte[20];
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Sha1.Hash(data, ours);
            Assert.Equal(SHA1.HashData(data), ours.ToArray());
        }
    }
}
