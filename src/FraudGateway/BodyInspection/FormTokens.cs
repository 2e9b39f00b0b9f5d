using System.Globalization;
using FraudGateway.Privacy;

namespace FraudGateway.BodyInspection;

// Signed form tokens: "ft1.<issued unix ms>.<policy>.<mac>", fetched when a form is rendered and sent back with it.
// The gateway keeps no state: the token proves when the form was issued and for which policy.
internal sealed class FormTokens(SubjectHasher hasher, TimeProvider time)
{
    private readonly TokenSigner _signer = new(hasher, "form-token-v1", time);

    public string Issue(string policy) => _signer.Sign($"ft1.{time.GetUtcNow().ToUnixTimeMilliseconds()}.{policy}");

    // ok, missing, forged, expired or too-fast.
    // fillSeconds: how long the form was open (the token's age) when the token is genuine, else -1.
    public string Check(string? token, string policy, int minFillSeconds, int maxAgeSeconds, out double fillSeconds)
    {
        fillSeconds = -1;
        if (string.IsNullOrEmpty(token))
        {
            return "missing";
        }

        if (!_signer.TryVerify(token, 300, out var unsigned))
        {
            return "forged";
        }

        var parts = unsigned.Split('.', 3);
        if (parts.Length != 3 || parts[0] != "ft1" || !string.Equals(parts[2], policy, StringComparison.OrdinalIgnoreCase)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var issuedMs))
        {
            return "forged";
        }

        var age = time.GetUtcNow().ToUnixTimeMilliseconds() - issuedMs;
        fillSeconds = Math.Max(0, age / 1000.0);
        return age > maxAgeSeconds * 1000L ? "expired" : age < minFillSeconds * 1000L ? "too-fast" : "ok";
    }

}
