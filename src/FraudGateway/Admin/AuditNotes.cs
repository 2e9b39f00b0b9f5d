using System.Security.Cryptography;
using System.Text;

namespace FraudGateway.Admin;

/// <summary>
/// What an admin handler tells the audit trail about the call it handles (its subject and a detail), and which API key
/// made the call, carried in the request's items: every folder that maps admin endpoints notes; the trail
/// (Management/AuditTrail.cs) writes the entry once the handler has answered.
/// </summary>
internal static class AuditNotes
{
    public const string SubjectItem = "fraudgateway.audit.subject";
    public const string DetailItem = "fraudgateway.audit.detail";
    private const string KeyItem = "fraudgateway.audit.key";

    /// <summary>What an admin handler acted on, for the entry its filter writes once the handler has answered.</summary>
    public static void Note(HttpContext context, string? subject, string? detail = null)
    {
        context.Items[SubjectItem] = subject;
        if (detail is not null)
        {
            context.Items[DetailItem] = detail;
        }
    }

    /// <summary>The key id of the admin call being handled (set by the audit filter for changes).</summary>
    public static string KeyIdOf(HttpContext context) => context.Items[KeyItem] as string ?? "";

    public static void SetKeyId(HttpContext context, string keyId) => context.Items[KeyItem] = keyId;

    /// <summary>Eight bytes of the key's SHA-256: tells keys apart in the trail without revealing them.</summary>
    public static string KeyId(string apiKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(apiKey)).AsSpan(0, 8));
}
