using FraudGateway.Observation;
using FraudGateway.Problems;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace FraudGateway.Forwarding;

// YARP answers a failed forward with a bare status code. This turns it into problem+json, for protected
// and unprotected routes alike, as long as nothing of the response has been sent yet.
internal sealed class UpstreamProblemMiddleware(RequestDelegate next, GatewayMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        if (context.Response.HasStarted)
        {
            return;
        }

        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is not null)
        {
            metrics.UpstreamError(error.Error.ToString());
            var problem = Map(error.Error);
            if (problem is not null)
            {
                context.Response.Headers.Remove("Content-Length");
                await ProblemWriter.WriteAsync(context, problem);
            }

            return;
        }

        // A route whose cluster is missing or has no destination: YARP sets 503 before any forwarder runs.
        if (context.Response.StatusCode == StatusCodes.Status503ServiceUnavailable && context.Features.Get<IReverseProxyFeature>() is not null)
        {
            metrics.UpstreamError("NoCluster");
            await ProblemWriter.WriteAsync(context, GatewayProblems.NoHealthyUpstream);
        }
    }

    private static GatewayProblem? Map(ForwarderError error) => error switch
    {
        ForwarderError.RequestTimedOut => GatewayProblems.UpstreamTimeout,
        ForwarderError.NoAvailableDestinations => GatewayProblems.NoHealthyUpstream,
        // The client went away or sent a broken body: nobody is left to read an answer, or it is the client's fault.
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled => null,
        ForwarderError.RequestBodyClient => GatewayProblems.InvalidRequest,
        _ => GatewayProblems.UpstreamUnavailable,
    };
}
