using System.Security.Cryptography;
using System.Text;
using FraudGateway.Problems;
using Microsoft.Net.Http.Headers;

namespace FraudGateway.Management;

// Admin calls carry the key as "X-Api-Key: <key>" or "Authorization: Bearer <key>".
// Both sides are hashed first so the comparison is constant-time whatever their lengths.
internal sealed class ApiKeyEndpointFilter(string configuredKey) : IEndpointFilter
{
    private readonly byte[]? _expectedHash = configuredKey.Length == 0 ? null : SHA256.HashData(Encoding.UTF8.GetBytes(configuredKey));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!IsAuthorized(context.HttpContext.Request))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            await ProblemWriter.WriteAsync(context.HttpContext, GatewayProblems.Unauthorized);
            return Results.Empty;
        }

        return await next(context);
    }

    private bool IsAuthorized(HttpRequest request)
    {
        if (_expectedHash is null)
        {
            return false;
        }

        string? presented = request.Headers["X-Api-Key"];
        if (string.IsNullOrEmpty(presented))
        {
            string? authorization = request.Headers[HeaderNames.Authorization];
            if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                presented = authorization["Bearer ".Length..].Trim();
            }
        }

        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return CryptographicOperations.FixedTimeEquals(presentedHash, _expectedHash);
    }
}
