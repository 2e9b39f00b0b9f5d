using System.Text.Json;
using FraudGateway.Privacy;
using FraudGateway.Problems;
using FraudGateway.State;

namespace FraudGateway.Decisions;

// GET /admin/decisions and GET /admin/decisions/{requestId} (behind the management API key).
internal static class DecisionEndpoints
{
    public static void MapDecisionEndpoints(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/decisions", ListAsync);
        admin.MapGet("/decisions/{requestId}", FindAsync);
    }

    private static async Task ListAsync(HttpContext context, IDecisionStore decisions, DecisionOptions options, SubjectHasher hasher)
    {
        if (DecisionQuery.Parse(context.Request.Query, hasher, out var error) is not { } query)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, error);
            return;
        }

        // Bounded: at most MaxEntriesPerPolicy entries read per policy, whatever the filters.
        if (await ReadAsync(context, decisions, query.Policy, query.SinceMs, options.MaxEntriesPerPolicy) is not { } entries)
        {
            return;
        }

        var matching = entries.Where(query.Matches).OrderByDescending(e => Order(e.Id)).Take(query.Limit + 1).ToList();
        var next = matching.Count > query.Limit ? matching[query.Limit - 1].Id : null;
        var page = new DecisionPage(matching.Take(query.Limit).ToList(), next);
        await context.Response.WriteAsJsonAsync(page, DecisionJsonContext.Default.DecisionPage);
    }

    private static async Task FindAsync(HttpContext context, string requestId, IDecisionStore decisions, DecisionOptions options)
    {
        if (requestId.Length is 0 or > 100)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "requestId must be the requestId of a problem+json answer.");
            return;
        }

        if (await ReadAsync(context, decisions, null, 0, options.MaxEntriesPerPolicy) is not { } entries)
        {
            return;
        }

        if (entries.FirstOrDefault(e => e.RequestId == requestId) is not { } entry)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.NotFound, "No recorded decision has that request id (only refusals are recorded unless Decisions:Record is All, and only for Decisions:TtlSeconds).");
            return;
        }

        await context.Response.WriteAsJsonAsync(entry, DecisionJsonContext.Default.DecisionEntry);
    }

    private static async Task<IReadOnlyList<DecisionEntry>?> ReadAsync(HttpContext context, IDecisionStore decisions, string? policy, long sinceMs, int max)
    {
        try
        {
            return await decisions.ReadAsync(policy, sinceMs, max, context.RequestAborted);
        }
        catch (StoreUnavailableException)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.StoreUnavailable, "The decision store does not answer.");
            return null;
        }
    }

    private static (long, long) Order(string id) => DecisionQuery.TryParseId(id, out var parsed) ? parsed : default;
}
