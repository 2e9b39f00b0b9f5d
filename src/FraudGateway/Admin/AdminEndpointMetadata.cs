using Microsoft.OpenApi;

namespace FraudGateway.Admin;

// What an admin endpoint documents about itself for the management API's OpenAPI document
// (Management/ManagementOpenApi.cs reads it): its problem answers, the query parameters and the JSON body its handler
// reads itself. Shared by every folder that maps admin endpoints (Management, Decisions, Defense).
internal static class AdminEndpointMetadata
{
    // An endpoint's problem answers, as (status, type) pairs, for its OpenAPI operation.
    public static TBuilder Problems<TBuilder>(this TBuilder builder, params (int Status, string Type)[] problems)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemTypesMetadata(problems));

    // The JSON body the handler reads itself (not Accepts<T>, which also constrains routing by content type).
    public static RouteHandlerBuilder JsonBody<TBody>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new JsonBodyMetadata(typeof(TBody)));

    public static TBuilder Query<TBuilder>(this TBuilder builder, params QueryParameter[] parameters)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new QueryParametersMetadata(parameters));
}

internal sealed record ProblemTypesMetadata((int Status, string Type)[] Problems);

// The JSON request body an endpoint reads itself, for its OpenAPI operation.
internal sealed record JsonBodyMetadata(Type Type);

// Query parameters an endpoint reads from the query string itself (its handler takes the HttpContext), for its
// OpenAPI operation; every one is optional.
internal sealed record QueryParametersMetadata(QueryParameter[] Parameters);

internal sealed record QueryParameter(string Name, string Description, JsonSchemaType Type = JsonSchemaType.String, string? Format = null)
{
    public static QueryParameter Since { get; } = new("since", "Only entries at or after this time (ISO 8601).", JsonSchemaType.String, "date-time");

    public static QueryParameter Limit(int max) => new("limit", $"Page size, 1 to {max}.", JsonSchemaType.Integer, "int32");

    public static QueryParameter[] Subject { get; } =
    [
        new("ip", "An IPv4 or IPv6 address (exactly one of ip, prefix, account)."),
        new("prefix", "A network prefix, e.g. 2001:db8:1:2::/64 (exactly one of ip, prefix, account)."),
        new("account", "An account name as the login form sends it (exactly one of ip, prefix, account)."),
    ];
}
