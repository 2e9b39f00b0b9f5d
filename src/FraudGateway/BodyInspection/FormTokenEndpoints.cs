using FraudGateway.Configuration;
using FraudGateway.Problems;

namespace FraudGateway.BodyInspection;

internal static class FormTokenEndpoints
{
    public const string Path = "/.fraudgateway/form-token";

    // GET /.fraudgateway/form-token?policy=contact-form, when the form is rendered: the token goes into the form's
    // FormTokenField and back with the submission.
    public static void MapFormTokenEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, (HttpContext context, string? policy, GatewaySettingsProvider settings, FormTokens tokens) =>
        {
            if (policy is null || !settings.Current.Policies.TryGetValue(policy, out var gatewayPolicy) || gatewayPolicy.BodyInspection?.FormTokenField is not { } field)
            {
                return ProblemWriter.WriteAsync(context, GatewayProblems.NotFound, "policy must name a policy whose BodyInspection sets FormTokenField.");
            }

            context.Response.Headers.CacheControl = "no-store";
            return context.Response.WriteAsJsonAsync(new FormTokenIssued(tokens.Issue(gatewayPolicy.Name), field, gatewayPolicy.BodyInspection.MinFillSeconds),
                FormTokenJsonContext.Default.FormTokenIssued);
        });
    }
}

internal sealed record FormTokenIssued(string Token, string Field, int MinFillSeconds);

[System.Text.Json.Serialization.JsonSerializable(typeof(FormTokenIssued))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class FormTokenJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
