using System.Text.Json;

namespace SampleApi;

public sealed record ContactMessage(string Name, string Email, string Message)
{
    // Accepts the same form as JSON or as application/x-www-form-urlencoded, as a real contact form does.
    public static async Task<ContactMessage?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string? name, email, message;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            (name, email, message) = (form["name"], form["email"], form["message"]);
        }
        else if (request.HasJsonContentType())
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                name = GetString(document.RootElement, "name");
                email = GetString(document.RootElement, "email");
                message = GetString(document.RootElement, "message");
            }
            catch (JsonException)
            {
                return null;
            }
        }
        else
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(email) || !email.Contains('@') || string.IsNullOrWhiteSpace(message)
            ? null
            : new ContactMessage(name, email, message);
    }

    private static string? GetString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
