namespace FraudGateway.Problems;

// Every problem type the gateway can answer with, in one place. docs/problems.md documents each.
internal static class GatewayProblems
{
    public static readonly GatewayProblem AccessDenied = new("access-denied", StatusCodes.Status403Forbidden, "Requests from your network are not accepted here.");

    public static readonly GatewayProblem ClientBanned = new("client-banned", StatusCodes.Status403Forbidden, "This client is temporarily blocked.");

    public static readonly GatewayProblem QuotaExceeded = new("quota-exceeded", StatusCodes.Status429TooManyRequests, "Too many requests. Retry after the number of seconds in Retry-After.");

    public static readonly GatewayProblem CaptchaRequired = new("captcha-required", StatusCodes.Status403Forbidden, "Solve the captcha and send its token with the request.");

    public static readonly GatewayProblem CaptchaInvalid = new("captcha-invalid", StatusCodes.Status403Forbidden, "The captcha was not accepted. Solve a new one.");

    public static readonly GatewayProblem CaptchaReplayed = new("captcha-replayed", StatusCodes.Status403Forbidden, "This captcha token was already used. Solve a new one.");

    public static readonly GatewayProblem InvalidCaptchaToken = new("invalid-captcha-token", StatusCodes.Status400BadRequest, "The captcha token is malformed.");

    public static readonly GatewayProblem CaptchaUnavailable = new("captcha-unavailable", StatusCodes.Status503ServiceUnavailable, "The captcha cannot be checked right now. Try again shortly.");

    public static readonly GatewayProblem BodyTooLarge = new("body-too-large", StatusCodes.Status413PayloadTooLarge, "The request body is larger than this endpoint accepts.");

    public static readonly GatewayProblem UnsupportedContentType = new("unsupported-content-type", StatusCodes.Status415UnsupportedMediaType, "Send the body as JSON or as a URL-encoded form.");

    public static readonly GatewayProblem MalformedBody = new("malformed-body", StatusCodes.Status400BadRequest, "The request body could not be read.");

    public static readonly GatewayProblem RequestTimeout = new("request-timeout", StatusCodes.Status408RequestTimeout, "The request body arrived too slowly.");

    public static readonly GatewayProblem MethodNotAllowed = new("method-not-allowed", StatusCodes.Status405MethodNotAllowed, "This method is not served here.");

    public static readonly GatewayProblem InvalidHeader = new("invalid-header", StatusCodes.Status400BadRequest, "A request header holds characters HTTP does not allow (send ASCII).");

    public static readonly GatewayProblem HeadersTooLarge = new("headers-too-large", StatusCodes.Status431RequestHeaderFieldsTooLarge, "The request's headers or trailers are too large.");

    public static readonly GatewayProblem RiskTooHigh = new("risk-too-high", StatusCodes.Status403Forbidden, "This request looks automated and was not accepted.");

    public static readonly GatewayProblem SpamDetected = new("spam-detected", StatusCodes.Status403Forbidden, "This submission looks automated and was not accepted.");

    public static readonly GatewayProblem StoreUnavailable = new("store-unavailable", StatusCodes.Status503ServiceUnavailable, "The request cannot be checked right now. Try again shortly.");

    public static readonly GatewayProblem PolicyUnavailable = new("policy-unavailable", StatusCodes.Status503ServiceUnavailable, "This endpoint is not available right now.");

    public static readonly GatewayProblem UpstreamUnavailable = new("upstream-unavailable", StatusCodes.Status502BadGateway, "The service behind the gateway could not be reached.");

    public static readonly GatewayProblem UpstreamTimeout = new("upstream-timeout", StatusCodes.Status504GatewayTimeout, "The service behind the gateway did not answer in time.");

    public static readonly GatewayProblem NoHealthyUpstream = new("no-healthy-upstream", StatusCodes.Status503ServiceUnavailable, "No instance of the service behind the gateway is available.");

    public static readonly GatewayProblem RouteNotFound = new("route-not-found", StatusCodes.Status404NotFound, "Nothing is served at this address.");

    public static readonly GatewayProblem Unauthorized = new("unauthorized", StatusCodes.Status401Unauthorized, "A valid API key is required.");

    public static readonly GatewayProblem InvalidRequest = new("invalid-request", StatusCodes.Status400BadRequest, "The request is not valid.");

    public static readonly GatewayProblem CheckFailed = new("check-failed", StatusCodes.Status503ServiceUnavailable, "The request could not be checked. Try again shortly.");

    public static readonly GatewayProblem NotFound = new("not-found", StatusCodes.Status404NotFound, "No such item.");

    public static readonly GatewayProblem NotLabelable = new("not-labelable", StatusCodes.Status409Conflict, "This decision cannot be labelled.");
}
