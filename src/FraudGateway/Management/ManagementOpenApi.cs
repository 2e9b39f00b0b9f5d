using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

using FraudGateway.Admin;

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
                // The management API writes no null member (WhenWritingNull): a property that may be null is one that
                // may be missing, so it is not "required" whatever its record's constructor says.
                foreach (var schema in document.Components.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
                {
                    if (schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
                    {
                        foreach (var (name, property) in properties)
                        {
                            if (MayBeNull(property))
                            {
                                required.Remove(name);
                            }
                        }
                    }
                }

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
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                // The JSON body a handler reads itself. Not Accepts<T>(): that also constrains routing by content type,
                // and a body of the wrong type must get the handler's 400, not a routing miss.
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<JsonBodyMetadata>().FirstOrDefault() is { } body)
                {
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken) },
                        },
                    };
                }

                var path = "/" + (context.Description.RelativePath ?? "");
                if (path.StartsWith("/admin", StringComparison.Ordinal))
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] });
                    AddProblem(operation, "401", "unauthorized");
                }

                foreach (var query in context.Description.ActionDescriptor.EndpointMetadata.OfType<QueryParametersMetadata>())
                {
                    operation.Parameters ??= [];
                    foreach (var parameter in query.Parameters)
                    {
                        if (operation.Parameters.Any(p => p.Name == parameter.Name && p.In == ParameterLocation.Query))
                        {
                            continue;
                        }

                        operation.Parameters.Add(new OpenApiParameter
                        {
                            Name = parameter.Name,
                            In = ParameterLocation.Query,
                            Description = parameter.Description,
                            Required = false,
                            Schema = new OpenApiSchema { Type = parameter.Type, Format = parameter.Format },
                        });
                    }
                }

                foreach (var problem in context.Description.ActionDescriptor.EndpointMetadata.OfType<ProblemTypesMetadata>())
                {
                    foreach (var (status, type) in problem.Problems)
                    {
                        AddProblem(operation, status.ToString(System.Globalization.CultureInfo.InvariantCulture), type);
                    }
                }

            });
        });

    private static bool MayBeNull(IOpenApiSchema schema) =>
        (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        || (schema.OneOf?.Any(s => s.Type == JsonSchemaType.Null) ?? false);

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
}
