using System.Text;

namespace FraudGateway.BodyInspection;

// One account, one identifier, however it is typed: trimmed, Unicode NFKC (full-width and compatibility forms
// become their plain letters), lower-cased (Unicode simple case mapping; "ß" stays "ß"). E-mail addresses get the
// same treatment as a whole, local part included: most providers treat it case-insensitively, and dots and
// "+tags" are kept (removing them is right for some providers only). Only the HMAC of the result is kept.
internal static class AccountNormalizer
{
    public const int MaxAccountChars = 320;

    public static string? Normalize(string? raw) => Normalize(raw, MaxAccountChars);

    private static string? Normalize(string? raw, int maxChars)
    {
        if (raw is null)
        {
            return null;
        }

        var trimmed = raw.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (trimmed.Length > maxChars)
        {
            trimmed = trimmed[..maxChars];
        }

        string normalized;
        try
        {
            normalized = trimmed.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // Lone surrogates cannot be normalised; the trimmed text still identifies the account consistently.
            normalized = trimmed;
        }

        return normalized.Trim().ToLowerInvariant();
    }

    // Message text for duplicate detection: NFKC, lower-cased, whitespace runs collapsed, at most 4,096 characters.
    public static string NormalizeText(string text)
    {
        var normalized = Normalize(text, 4096) ?? "";
        return string.Join(' ', normalized.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    public static string? EmailDomain(string? normalizedEmail)
    {
        var at = normalizedEmail?.LastIndexOf('@') ?? -1;
        return at > 0 && at < normalizedEmail!.Length - 1 ? normalizedEmail[(at + 1)..] : null;
    }
}
