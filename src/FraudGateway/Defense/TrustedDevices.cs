using System.Globalization;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.State;
using Microsoft.Net.Http.Headers;

namespace FraudGateway.Defense;

// Trusted-device tokens: "d1.<issued unix s>.<expiry unix s>.<account hmac>.<mac>", signed with a key derived from the
// privacy key (TokenSigner, which also accepts a previous key until its end), issued after a successful login as a
// cookie (HttpOnly, SameSite=Lax, Secure on HTTPS) and a response header for API clients. The token names the
// account's HMAC and nothing else: it is valid only for a login to that same account, until it expires or the
// account's devices are revoked (a shared flag "devices-revoked:<account hmac>" holding the revocation time, kept as
// long as a token lives; a subject's erasure removes it with every other key naming the HMAC). Nothing is stored per
// device. A forged, expired, revoked or another account's token is simply not trusted: never an error page.
internal sealed class TrustedDevices(SubjectHasher hasher, ISharedFlags flags, TimeProvider time)
{
    private const int MaxTokenChars = 200;
    private readonly TokenSigner _signer = new(hasher, "trusted-device-v1", time);

    public static string RevocationFlag(string accountId) => "devices-revoked:" + accountId;

    // After a successful login (the answer has not started): the token for the account this request logged into.
    public void Issue(HttpContext context, FraudGatewayFeature feature)
    {
        if (feature.Policy.Defense?.TrustedDevices is not { } settings || feature.Body?.AccountId is not { } account)
        {
            return;
        }

        var now = time.GetUtcNow();
        var token = _signer.Sign(string.Create(CultureInfo.InvariantCulture, $"d1.{now.ToUnixTimeSeconds()}.{(now + settings.Lifetime).ToUnixTimeSeconds()}.{account}"));
        var cookie = new SetCookieHeaderValue(settings.CookieName, token)
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = Microsoft.Net.Http.Headers.SameSiteMode.Lax,
            Path = "/",
            MaxAge = settings.Lifetime,
        };
        context.Response.Headers.Append(HeaderNames.SetCookie, cookie.ToString());
        context.Response.Headers[settings.HeaderName] = token;
    }

    // Whether the request carries a valid token for the account it logs into (signature, expiry, binding; the
    // revocation flag is read only when it matters: checkRevocation).
    public async ValueTask<bool> IsTrustedAsync(HttpContext context, FraudGatewayFeature feature, bool checkRevocation, CancellationToken cancellationToken)
    {
        if (feature.Policy.Defense?.TrustedDevices is not { } settings || feature.Body?.AccountId is not { } account)
        {
            return false;
        }

        var header = context.Request.Headers[settings.HeaderName];
        var token = header.Count == 1 ? header[0] : context.Request.Cookies[settings.CookieName];
        if (!_signer.TryVerify(token, MaxTokenChars, out var payload, out var signedWith))
        {
            return false;
        }

        var parts = payload.Split('.');
        if (parts.Length != 4 || parts[0] != "d1"
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var issued)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
            || expires <= time.GetUtcNow().ToUnixTimeSeconds()
            || parts[3] != AccountUnder(signedWith, feature, account))
        {
            return false;
        }

        if (!checkRevocation)
        {
            return true;
        }

        try
        {
            var revoked = await flags.GetAsync(RevocationFlag(account), cancellationToken);
            return revoked is null || !long.TryParse(revoked, NumberStyles.None, CultureInfo.InvariantCulture, out var at) || issued > at;
        }
        catch (StoreUnavailableException)
        {
            // Revocation cannot be checked: the device is treated as new (a challenge, never a refusal).
            return false;
        }
    }

    // Every token of the account issued until now stops being trusted, on every instance, for as long as a token lives.
    public Task RevokeAsync(string accountId, TimeSpan lifetime, CancellationToken cancellationToken) =>
        flags.SetAsync(RevocationFlag(accountId), time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), lifetime, cancellationToken);

    // The account's HMAC under the key that signed the token (a token from before a key rotation binds the old HMAC).
    private string? AccountUnder(SubjectHasher key, FraudGatewayFeature feature, string current)
    {
        if (ReferenceEquals(key, hasher))
        {
            return current;
        }

        for (var k = 0; k < feature.PreviousKeys.Count; k++)
        {
            if (ReferenceEquals(feature.PreviousKeys[k].Key, key))
            {
                return feature.Body?.PreviousAccountIds.ElementAtOrDefault(k);
            }
        }

        return null;
    }
}
