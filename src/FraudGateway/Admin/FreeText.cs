using FraudGateway.Identity;
using FraudGateway.Model;

namespace FraudGateway.Admin;

/// <summary>Checks on the free text an operator types into the admin API (ban reasons, label notes).</summary>
internal static class FreeText
{
    // Reasons and notes are stored in clear; an IP address or an e-mail address typed into one would defeat storing
    // the subject as an HMAC. Free text is for the operator's words, not for personal data.
    public static bool ContainsAddress(string text)
    {
        foreach (var token in text.Split([' ', ',', ';', '(', ')', '[', ']', '"', '\'', '<', '>'], StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = token.TrimEnd('.', ':');
            if (ClientIdentityResolver.TryParseForwardedEntry(candidate, out _) || CidrParser.TryParse(candidate, out _, out _) && candidate.Contains('/')
                || IsEmailAddress(candidate))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEmailAddress(string token)
    {
        var at = token.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < token.Length - 3 && token.IndexOf('.', at) > at + 1;
    }
}
