namespace FraudGateway.Pipeline;

/// <summary>
/// One step of the protection pipeline. Stages read and write the request's FraudGatewayFeature
/// and say whether the request goes on; the order they run in is set in GatewayPipeline alone.
/// </summary>
internal interface IGatewayStage
{
    string Name { get; }

    /// <summary>
    /// Does this stage have anything to do on this policy? A stage that does not is neither run nor timed (a histogram
    /// point per stage and request is measurable at tens of thousands of requests a second).
    /// </summary>
    bool RunsFor(GatewayPolicy policy) => true;

    ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature);
}
