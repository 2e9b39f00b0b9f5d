using System.Text;
using FraudGateway.Observation;
using FraudGateway.Problems;

namespace FraudGateway.Forwarding;

// Requests no upstream can be sent, refused up front as the client's fault rather than blamed on the upstream:
// a CONNECT or TRACE (this is a reverse proxy, not a tunnel) gets 405, a header value that is not ASCII (HTTP
// clients send ASCII; the forwarder refuses anything else) gets 400. Logged at Debug, counted as a decision.
internal sealed partial class ClientRequestGuardMiddleware(RequestDelegate next, GatewayMetrics metrics, ILogger<ClientRequestGuardMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsConnect(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            return Refuse(context, "method-not-allowed", GatewayProblems.MethodNotAllowed);
        }

        foreach (var (_, values) in request.Headers)
        {
            foreach (var value in values)
            {
                if (value is not null && !Ascii.IsValid(value))
                {
                    return Refuse(context, "non-ascii-header", GatewayProblems.InvalidHeader);
                }
            }
        }

        return next(context);
    }

    private Task Refuse(HttpContext context, string reason, GatewayProblem problem)
    {
        metrics.Decision("none", Pipeline.GatewayOutcome.Block, reason);
        Log.Refused(logger, context.TraceIdentifier, reason, problem.Status);
        if (problem.Status == StatusCodes.Status405MethodNotAllowed)
        {
            context.Response.Headers.Allow = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
        }

        return ProblemWriter.WriteAsync(context, problem);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.ForwardingRefusedRequest, EventName = nameof(LogEvents.ForwardingRefusedRequest), Level = LogLevel.Debug,
            Message = "Request {RequestId} refused before routing ({Reason}): answered {Status}.")]
        public static partial void Refused(ILogger logger, string requestId, string reason, int status);
    }
}
