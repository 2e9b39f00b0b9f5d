using FraudGateway.Identity;
using FraudGateway.Privacy;

namespace FraudGateway.Captcha;

// A short-lived signed pass, issued after a verified captcha: "v1.<expiry unix s>.<binding>.<mac>" after a captcha,
// "w1.<expiry unix s>.<binding>.<mac>" after a proof of work, where binding is an HMAC of the client's IP prefix and
// user agent and mac an HMAC of the rest under a key derived from the privacy key. A proof of work's pass answers the
// proof-of-work rung only, never a captcha. It cannot be forged (mac), moved to another network or browser (binding) or used after it expires.
// Nothing is stored: the pass carries all it needs.
internal sealed class CaptchaPass(SubjectHasher hasher, TimeProvider time)
{
    private readonly TokenSigner _signer = new(hasher, "captcha-pass-v1", time);

    public string Issue(ClientIdentity identity, TimeSpan lifetime, bool solvedCaptcha = true)
    {
        var expires = time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        return _signer.Sign($"{(solvedCaptcha ? "v1" : "w1")}.{expires}.{Binding(identity, hasher)}");
    }

    // needsCaptcha: only a captcha's pass will do; otherwise a proof of work's pass does too.
    public bool IsValid(string? pass, ClientIdentity identity, bool needsCaptcha = true)
    {
        if (!_signer.TryVerify(pass, 200, out var unsigned, out var signedWith))
        {
            return false;
        }

        var parts = unsigned.Split('.');
        return parts.Length == 3
            && (parts[0] == "v1" || (parts[0] == "w1" && !needsCaptcha))
            && long.TryParse(parts[1], out var expires)
            && expires > time.GetUtcNow().ToUnixTimeSeconds()
            && parts[2] == Binding(identity, signedWith);
    }

    // The pass a request presents: its header, else its cookie.
    public static string? Presented(HttpRequest request, CaptchaPassOptions options)
    {
        var header = request.Headers[options.HeaderName];
        return header.Count == 1 ? header[0] : request.Cookies[options.CookieName];
    }

    // Made with the key that signs the pass (a pass from before a key rotation binds with the previous key).
    private static string Binding(ClientIdentity identity, SubjectHasher key) => key.Hash("pass-binding", identity.Prefix + "|" + identity.UserAgent)[..16];
}
