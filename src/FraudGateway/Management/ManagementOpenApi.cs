using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace FraudGateway.Management;

// The management API's OpenAPI document (ASP.NET Core's generator), served at GET /openapi/v1.json on the
// management port: only management endpoints, the API key as a security scheme on every /admin operation, and each
// operation's problem types (urn:fraudgateway:problem:<type>, docs/problems.md) in its responses.
internal static class ManagementOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string Scheme = "ApiKey";

    public static IServiceCollection AddManagementOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.ActionDescriptor.EndpointMetadata.OfType<ManagementEndpointMetadata>().Any();
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "FraudGateway management API",
                    Version = "v1",
                    Description = "Health, metrics, bans, limit lifts, decisions, audit trail and model status. /admin calls need the API key (X-Api-Key or Authorization: Bearer). Every error is problem+json with a stable type urn:fraudgateway:problem:<type>.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "X-Api-Key",
                    Description = "FraudGateway:Management:ApiKey; also accepted as Authorization: Bearer <key>.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var path = "/" + (context.Description.RelativePath ?? "");
                if (path.StartsWith("/admin", StringComparison.Ordinal))
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] });
                    AddProblem(operation, "401", "unauthorized");
                }

                foreach (var problem in context.Description.ActionDescriptor.EndpointMetadata.OfType<ProblemTypesMetadata>())
                {
                    foreach (var (status, type) in problem.Problems)
                    {
                        AddProblem(operation, status.ToString(System.Globalization.CultureInfo.InvariantCulture), type);
                    }
                }

                return Task.CompletedTask;
            });
        });

    private static void AddProblem(OpenApiOperation operation, string status, string type)
    {
        operation.Responses ??= [];
        if (!operation.Responses.TryGetValue(status, out var response) || response is not OpenApiResponse concrete)
        {
            concrete = new OpenApiResponse { Description = "problem+json" };
            operation.Responses[status] = concrete;
        }

        concrete.Description = concrete.Description is { Length: > 0 } existing && existing != "problem+json"
            ? $"{existing}; urn:fraudgateway:problem:{type}"
            : $"problem+json, type urn:fraudgateway:problem:{type}";
        concrete.Content ??= new Dictionary<string, OpenApiMediaType>();
        concrete.Content.TryAdd("application/problem+json", new OpenApiMediaType());
    }

    // An endpoint's problem answers, as (status, type) pairs, for its OpenAPI operation.
    public static TBuilder Problems<TBuilder>(this TBuilder builder, params (int Status, string Type)[] problems)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemTypesMetadata(problems));
}

internal sealed record ProblemTypesMetadata((int Status, string Type)[] Problems);
