using System.Text;
using System.Text.Json;
using FraudGateway.Observation;
using FraudGateway.Pipeline;
using FraudGateway.Privacy;
using FraudGateway.Problems;
using Microsoft.AspNetCore.WebUtilities;

namespace FraudGateway.BodyInspection;

// On policies with BodyInspection: reads a JSON or URL-encoded form body up to MaxBodyBytes (the upstream
// still gets it byte for byte) and pulls out the configured fields: the account (kept only as an HMAC of its
// normalised form), the e-mail domain, the message's length and links, the honeypot; the password field only to ask
// the breach corpus whether it is there (its bytes hashed on the stack, only the answer kept). Other fields are never
// read into anything. A body it cannot use is refused (413/415/400) or passed through with a finding.
// A body the client did not send properly (broken chunked framing, too slow, cut off) cannot be forwarded at all: it
// is refused whatever OnInvalidBody says, as the client's fault (4xx, logged at Information without a stack trace).
internal sealed partial class BodyInspectionStage(SubjectHasher hasher, FormTokens formTokens, DisposableEmailDomains disposableDomains,
    Credentials.BreachedPasswords breached, GatewayMetrics metrics, ILogger<BodyInspectionStage> logger) : IGatewayStage
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public string Name => "body";

    public bool RunsFor(GatewayPolicy policy) => policy.BodyInspection is not null;

    public async ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature)
    {
        if (feature.Policy.BodyInspection is not { } settings)
        {
            return StageResult.Continue;
        }

        var request = context.Request;
        if (request.ContentLength == 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
        {
            return StageResult.Continue;
        }

        var isForm = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        var isJson = request.HasJsonContentType();
        if (!isForm && !isJson)
        {
            return Invalid(feature, settings, "unsupported-content-type", GatewayProblems.UnsupportedContentType);
        }

        var body = await BoundedBodyReader.ReadAsync(request, settings.MaxBodyBytes, context.RequestAborted);
        if (body.ClientFault != 0)
        {
            Log.ClientBodyFault(logger, context.TraceIdentifier, feature.Policy.Name, body.ClientFault, body.FaultReason!);
            return StageResult.Block(body.FaultReason!, body.ClientFault switch
            {
                StatusCodes.Status408RequestTimeout => GatewayProblems.RequestTimeout,
                StatusCodes.Status413PayloadTooLarge => GatewayProblems.BodyTooLarge,
                StatusCodes.Status431RequestHeaderFieldsTooLarge => GatewayProblems.HeadersTooLarge,
                _ => GatewayProblems.MalformedBody,
            });
        }

        if (body.OverLimit)
        {
            return Invalid(feature, settings, "body-too-large", GatewayProblems.BodyTooLarge);
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(body.Bytes.Span);
        }
        catch (DecoderFallbackException)
        {
            return Invalid(feature, settings, "invalid-utf8", GatewayProblems.MalformedBody);
        }

        Dictionary<string, string> fields;
        bool? breachedPassword = null;
        var checkPassword = settings.PasswordField is not null ? breached : null;
        if (isForm)
        {
            fields = FormFields(text, settings, checkPassword, out breachedPassword);
        }
        else if (!TryJsonFields(body.Bytes.Span, settings, checkPassword, out fields, out breachedPassword))
        {
            return Invalid(feature, settings, "malformed-json", GatewayProblems.MalformedBody);
        }

        if (checkPassword is not null)
        {
            metrics.PasswordChecked(feature.Policy.Name, breachedPassword);
        }

        var account = AccountNormalizer.Normalize(Get(fields, settings.AccountField));
        var email = AccountNormalizer.Normalize(Get(fields, settings.EmailField));
        var message = Get(fields, settings.MessageField) ?? "";
        var normalizedMessage = AccountNormalizer.NormalizeText(message);
        var emailDomain = AccountNormalizer.EmailDomain(email);
        var fillSeconds = -1.0;
        var formTokenStatus = settings.FormTokenField is null ? null
            : formTokens.Check(Get(fields, settings.FormTokenField), feature.Policy.Name, settings.MinFillSeconds, settings.MaxFormAgeSeconds, out fillSeconds);
        var inspected = new InspectedBody
        {
            AccountId = account is null ? null : hasher.Hash("account", account),
            PreviousAccountIds = feature.PreviousKeys.Count == 0 ? [] : feature.PreviousKeys.Select(p => account is null ? null : p.Key.Hash("account", account)).ToArray(),
            PreviousMessageIds = feature.PreviousKeys.Count == 0 ? [] : feature.PreviousKeys.Select(p => normalizedMessage.Length == 0 ? null : p.Key.Hash("message", normalizedMessage)).ToArray(),
            EmailDomain = emailDomain,
            DisposableEmail = disposableDomains.IsDisposable(emailDomain),
            MessageId = normalizedMessage.Length == 0 ? null : hasher.Hash("message", normalizedMessage),
            MessageLength = message.Length,
            MessageLinks = CountLinks(message),
            HoneypotFilled = !string.IsNullOrWhiteSpace(Get(fields, settings.HoneypotField)),
            FormToken = formTokenStatus,
            FormFillSeconds = fillSeconds,
            HasMessageField = settings.MessageField is not null,
            BreachedPassword = breachedPassword,
        };
        feature.Body = inspected;

        // Each failed check blocks, asks for a captcha, or is only recorded, as the policy says.
        if (inspected.HoneypotFilled && Signal(feature, settings.OnHoneypot, "honeypot-filled") is { } honeypot)
        {
            return honeypot;
        }

        if (inspected.FormToken is not (null or "ok") && Signal(feature, settings.OnFormToken, "form-token-" + inspected.FormToken) is { } formToken)
        {
            return formToken;
        }

        if (inspected.DisposableEmail && Signal(feature, settings.OnDisposableEmail, "disposable-email") is { } disposable)
        {
            return disposable;
        }

        return StageResult.Continue;
    }

    private StageResult? Signal(FraudGatewayFeature feature, SignalAction action, string finding)
    {
        feature.AddVerdict(Name, finding);
        switch (action)
        {
            case SignalAction.Block:
                return StageResult.Block(finding, GatewayProblems.SpamDetected);
            case SignalAction.Challenge:
                feature.RequireCaptcha(finding);
                return null;
            default:
                return null;
        }
    }

    private StageResult Invalid(FraudGatewayFeature feature, BodyInspectionSettings settings, string finding, GatewayProblem problem)
    {
        if (settings.RejectInvalid)
        {
            return StageResult.Block(finding, problem);
        }

        feature.AddVerdict(Name, finding);
        return StageResult.Continue;
    }

    private static string? Get(Dictionary<string, string> fields, string? name) => name is not null && fields.TryGetValue(name, out var value) ? value : null;

    private static bool Wanted(BodyInspectionSettings settings, string name) =>
        name == settings.AccountField || name == settings.EmailField || name == settings.MessageField || name == settings.HoneypotField || name == settings.FormTokenField;

    private static Dictionary<string, string> FormFields(string text, BodyInspectionSettings settings, Credentials.BreachedPasswords? passwords, out bool? breachedPassword)
    {
        breachedPassword = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in new FormReader(text).ReadForm())
        {
            if (passwords is not null && name == settings.PasswordField)
            {
                // One value only; a repeated field is not a password a login form sends.
                breachedPassword = value.Count == 1 ? passwords.Check(value[0].AsSpan()) : null;
            }
            else if (Wanted(settings, name))
            {
                fields[name] = value.ToString();
            }
        }

        return fields;
    }

    // Top-level string (or number) members only; the whole document must be valid JSON.
    private static bool TryJsonFields(ReadOnlySpan<byte> json, BodyInspectionSettings settings, Credentials.BreachedPasswords? passwords,
        out Dictionary<string, string> fields, out bool? breachedPassword)
    {
        breachedPassword = null;
        fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read())
            {
                return false;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                return !reader.Read();
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (passwords is not null && name == settings.PasswordField)
                {
                    breachedPassword = reader.TokenType == JsonTokenType.String ? CheckPassword(ref reader, passwords) : null;
                    reader.Skip();
                }
                else if (Wanted(settings, name) && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
                {
                    fields[name] = reader.TokenType == JsonTokenType.String ? reader.GetString()! : Encoding.UTF8.GetString(reader.ValueSpan);
                }
                else
                {
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string the reader cannot transcode (a lone UTF-16 surrogate escape).
            return false;
        }
    }

    // The string's unescaped UTF-8 into a stack buffer, checked, cleared; too long: not checked.
    private static bool? CheckPassword(ref Utf8JsonReader reader, Credentials.BreachedPasswords passwords)
    {
        var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > Model.Credentials.BreachedPasswordFile.MaxPasswordBytes * 6)
        {
            return null;
        }

        Span<byte> utf8 = stackalloc byte[Model.Credentials.BreachedPasswordFile.MaxPasswordBytes * 6];
        var written = reader.CopyString(utf8);
        var breached = written <= Model.Credentials.BreachedPasswordFile.MaxPasswordBytes ? passwords.Check(utf8[..written]) : null;
        utf8[..written].Clear();
        return breached;
    }

    private static int CountLinks(string message)
    {
        var links = 0;
        foreach (var marker in (ReadOnlySpan<string>)["http://", "https://", "www."])
        {
            var at = 0;
            while ((at = message.IndexOf(marker, at, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                links++;
                at += marker.Length;
            }
        }

        return links;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.BodyClientFault, EventName = nameof(LogEvents.BodyClientFault), Level = LogLevel.Information,
            Message = "Request {RequestId} on policy {Policy}: the client's body could not be read ({Reason}); answered {Status}.")]
        public static partial void ClientBodyFault(ILogger logger, string requestId, string policy, int status, string reason);
    }
}
