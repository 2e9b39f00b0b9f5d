namespace FraudGateway.Pipeline;

// One step of the protection pipeline. Stages read and write the request's FraudGatewayFeature
// and say whether the request goes on; the order they run in is set in GatewayPipeline alone.
internal interface IGatewayStage
{
    string Name { get; }

    ValueTask<StageResult> InvokeAsync(HttpContext context, FraudGatewayFeature feature);
}
