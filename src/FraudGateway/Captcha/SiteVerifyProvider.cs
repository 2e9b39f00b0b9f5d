using System.Net;
using System.Text.Json;

namespace FraudGateway.Captcha;

// Cloudflare Turnstile, hCaptcha and Google reCAPTCHA v2/v3 all verify a token the same way: a form-encoded POST of
// secret, response and (when SendRemoteIp is set) remoteip to a siteverify URL, answered with JSON (success, hostname, challenge_ts, action,
// score, error-codes). The differences are the URL and a few fields: Turnstile takes an idempotency_key (so a retry
// of the same verification is not a duplicate), hCaptcha the sitekey.
internal sealed class SiteVerifyProvider(string name, CaptchaProviderType type, string siteKey, string secret, Uri verifyUrl,
    IReadOnlyList<string> hostnames, bool sendRemoteIp, IHttpClientFactory httpClientFactory) : ICaptchaProvider
{
    public const string HttpClientName = "captcha";

    public static Uri DefaultVerifyUrl(CaptchaProviderType type) => type switch
    {
        CaptchaProviderType.Turnstile => new Uri("https://challenges.cloudflare.com/turnstile/v0/siteverify"),
        CaptchaProviderType.HCaptcha => new Uri("https://api.hcaptcha.com/siteverify"),
        _ => new Uri("https://www.google.com/recaptcha/api/siteverify"),
    };

    public string Name { get; } = name;

    public CaptchaProviderType Type { get; } = type;

    public string SiteKey { get; } = siteKey;

    public IReadOnlyList<string> Hostnames { get; } = hostnames;

    public async ValueTask<SiteVerifyResult> VerifyAsync(string token, IPAddress clientAddress, CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>>(5)
        {
            new("secret", secret),
            new("response", token),
        };
        if (sendRemoteIp)
        {
            fields.Add(new("remoteip", clientAddress.ToString()));
        }

        if (Type == CaptchaProviderType.Turnstile)
        {
            fields.Add(new("idempotency_key", IdempotencyKey(token)));
        }
        else if (Type == CaptchaProviderType.HCaptcha)
        {
            fields.Add(new("sitekey", SiteKey));
        }

        HttpResponseMessage response;
        try
        {
            using var content = new FormUrlEncodedContent(fields);
            response = await httpClientFactory.CreateClient(HttpClientName).PostAsync(verifyUrl, content, cancellationToken);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CaptchaProviderException("provider-timeout", e);
        }
        catch (HttpRequestException e)
        {
            throw new CaptchaProviderException("provider-unreachable", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new CaptchaProviderException("provider-error-status");
            }

            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
                return Parse(json.RootElement);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CaptchaProviderException("provider-timeout", e);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                throw new CaptchaProviderException("provider-unreadable-reply", e);
            }
        }
    }

    // Turnstile recognises a retried verification by its idempotency key (a UUID) and answers it as the first one:
    // derived from the token, a retry of the same token (a timeout, another instance) is that retry, not a duplicate.
    internal static string IdempotencyKey(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("fraudgateway-turnstile-idempotency:" + token), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // RFC 9562 version 8 (custom), variant 10
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString();
    }

    internal static SiteVerifyResult Parse(JsonElement root)
    {
        var errors = new List<string>();
        if (root.TryGetProperty("error-codes", out var codes) && codes.ValueKind == JsonValueKind.Array)
        {
            foreach (var code in codes.EnumerateArray())
            {
                if (code.ValueKind == JsonValueKind.String)
                {
                    errors.Add(code.GetString()!);
                }
            }
        }

        DateTimeOffset? challengeTime = null;
        if (root.TryGetProperty("challenge_ts", out var ts) && ts.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(ts.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
        {
            challengeTime = parsed;
        }

        return new SiteVerifyResult(
            root.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.True,
            errors,
            String(root, "hostname"),
            challengeTime,
            String(root, "action"),
            root.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number ? score.GetDouble() : null);
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
