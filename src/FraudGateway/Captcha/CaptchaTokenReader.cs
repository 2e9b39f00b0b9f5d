using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace FraudGateway.Captcha;

internal readonly record struct CaptchaTokenRead(string? Token, string? Error);

// Finds the captcha token: the configured header, or the provider's own field in a form or JSON body
// (cf-turnstile-response, h-captcha-response, g-recaptcha-response, or captchaToken). The body is read at most
// MaxBodyBytes (BoundedBodyReader), so the upstream receives it unchanged. Obviously bad tokens are refused here,
// before any provider call.
internal static class CaptchaTokenReader
{
    public const int MaxTokenChars = 2048;

    public static readonly string[] BodyFields = ["cf-turnstile-response", "h-captcha-response", "g-recaptcha-response", "captchaToken"];

    public static async ValueTask<CaptchaTokenRead> ReadAsync(HttpRequest request, string headerName, int maxBodyBytes, CancellationToken cancellationToken)
    {
        var headerValues = request.Headers[headerName];
        if (headerValues.Count > 1)
        {
            return new(null, "token-header-repeated");
        }

        var fromHeader = headerValues.Count == 1 ? headerValues[0] : null;
        var fromBody = await ReadBodyFieldAsync(request, maxBodyBytes, cancellationToken);
        if (fromHeader is not null && fromBody is not null && !string.Equals(fromHeader, fromBody, StringComparison.Ordinal))
        {
            return new(null, "token-header-and-body-disagree");
        }

        var token = fromHeader ?? fromBody;
        if (token is null)
        {
            return new(null, null);
        }

        if (token.Length == 0)
        {
            return new(null, "token-empty");
        }

        if (token.Length > MaxTokenChars)
        {
            return new(null, "token-too-long");
        }

        foreach (var c in token)
        {
            if (c is < '!' or > '~')
            {
                return new(null, "token-not-printable-ascii");
            }
        }

        return new(token, null);
    }

    private static async ValueTask<string?> ReadBodyFieldAsync(HttpRequest request, int maxBodyBytes, CancellationToken cancellationToken)
    {
        var isForm = request.HasFormContentType && request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        var isJson = request.HasJsonContentType();
        if ((!isForm && !isJson) || request.ContentLength is 0 || request.ContentLength > maxBodyBytes)
        {
            return null;
        }

        var body = await BodyInspection.BoundedBodyReader.ReadAsync(request, maxBodyBytes, cancellationToken);
        if (body.OverLimit)
        {
            return null;
        }

        return isForm ? FromForm(body.Bytes.Span) : FromJson(body.Bytes.Span);
    }

    private static string? FromForm(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, true).GetString(body);
        }
        catch (System.Text.DecoderFallbackException)
        {
            return null;
        }

        var form = new FormReader(text).ReadForm();
        foreach (var field in BodyFields)
        {
            if (form.TryGetValue(field, out var value))
            {
                return value.Count == 1 ? value[0] : string.Join(",", (IEnumerable<string?>)value);
            }
        }

        return null;
    }

    private static string? FromJson(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTokenField = false;
                foreach (var field in BodyFields)
                {
                    isTokenField |= reader.ValueTextEquals(field);
                }

                reader.Read();
                if (isTokenField)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : "";
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
