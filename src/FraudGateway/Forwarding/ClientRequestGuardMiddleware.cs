using System.Text;
using FraudGateway.Observation;
using FraudGateway.Problems;

namespace FraudGateway.Forwarding;

// Requests no upstream can be sent, refused up front as the client's fault rather than blamed on the upstream:
// a CONNECT or TRACE (this is a reverse proxy, not a tunnel) gets 405. Non-ASCII header values are read
// (HeaderBytesEncoding) and forwarded as UTF-8 (PolicyRouteConfigFilter); one with a character UTF-8 cannot carry (a
// lone surrogate, which only code in between could set) gets 400 naming the header. Logged at Debug, counted as a
// decision.
internal sealed partial class ClientRequestGuardMiddleware(RequestDelegate next, GatewayMetrics metrics, ILogger<ClientRequestGuardMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsConnect(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return Refuse(context, "method-not-allowed", GatewayProblems.MethodNotAllowed);
        }

        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                if (value is not null && !Ascii.IsValid(value) && !Utf8Encodable(value))
                {
                    return Refuse(context, "invalid-header", GatewayProblems.InvalidHeader, $"The {name} header holds characters HTTP cannot carry.");
                }
            }
        }

        return next(context);
    }

    private static bool Utf8Encodable(string value)
    {
        try
        {
            _ = StrictUtf8.GetByteCount(value);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    private Task Refuse(HttpContext context, string reason, GatewayProblem problem, string? detail = null)
    {
        metrics.Decision("none", "block", reason);
        Log.Refused(logger, context.TraceIdentifier, reason, problem.Status);
        if (problem.Status == StatusCodes.Status405MethodNotAllowed)
        {
            context.Response.Headers.Allow = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
        }

        return ProblemWriter.WriteAsync(context, problem, detail);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.ForwardingRefusedRequest, EventName = nameof(LogEvents.ForwardingRefusedRequest), Level = LogLevel.Debug,
            Message = "Request {RequestId} refused before routing ({Reason}): answered {Status}.")]
        public static partial void Refused(ILogger logger, string requestId, string reason, int status);
    }
}
