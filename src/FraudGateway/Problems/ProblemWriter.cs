using System.Text.Json;

namespace FraudGateway.Problems;

// Writes RFC 9457 application/problem+json. Written by hand with Utf8JsonWriter: it is on the path of
// every blocked request in a flood, so it allocates little and reflects on nothing.
internal static class ProblemWriter
{
    public const string ContentType = "application/problem+json";

    public static Task WriteAsync(HttpContext context, GatewayProblem problem, string? detail = null, Action<Utf8JsonWriter>? extensions = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            // Too late to change the status: abort rather than append a problem to a half-sent body.
            context.Abort();
            return Task.CompletedTask;
        }

        // Headers a stage has set on purpose (Retry-After, RateLimit) stay; a half-made upstream answer is cleared by its caller.
        response.StatusCode = problem.Status;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", problem.Type);
            json.WriteString("title", problem.Title);
            json.WriteNumber("status", problem.Status);
            if (detail is not null)
            {
                json.WriteString("detail", detail);
            }

            json.WriteString("instance", context.Request.Path.Value);
            json.WriteString("requestId", context.TraceIdentifier);
            extensions?.Invoke(json);
            json.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        return response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }
}
