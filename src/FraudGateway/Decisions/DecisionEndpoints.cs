using System.Text.Json;
using FraudGateway.Admin;
using FraudGateway.Management;
using FraudGateway.Privacy;
using FraudGateway.Problems;
using FraudGateway.State;

namespace FraudGateway.Decisions;

// POST /admin/decisions/{requestId}/label
internal sealed record LabelRequest(string? Label, string? Note);

// The decision store's API (behind the management API key): query, look up by request id, label, export labelled
// decisions as training rows.
internal static class DecisionEndpoints
{
    public static void MapDecisionEndpoints(this IEndpointRouteBuilder admin)
    {
        admin.MapGet("/decisions", ListAsync)
            .WithSummary("Recent recorded decisions, newest first (query: policy, action, reason, since, limit, before, ip, account).")
            .Query(
                new("policy", "A configured policy's name."),
                new("action", "allow, challenge or block."),
                new("reason", "A recorded reason, a refusing limit's name or a finding (rate-limited:ip-minute, deny-list, risk-score)."),
                QueryParameter.Since,
                QueryParameter.Limit(DecisionQuery.MaxLimit),
                new("before", "Paging: the previous page's next."),
                new("ip", "Decisions about this client address."),
                new("account", "Decisions about this account."))
            .Produces<DecisionPage>().Problems((400, "invalid-request"), (503, "store-unavailable"));
        admin.MapGet("/decisions/{requestId}", FindAsync).WithSummary("The decision a client's problem+json requestId names.")
            .Produces<DecisionEntry>().Problems((400, "invalid-request"), (404, "not-found"), (503, "store-unavailable"));
        admin.MapPost("/decisions/{requestId}/label", LabelAsync)
            .WithSummary("Label a recorded decision: {\"label\": \"fraud\" | \"legitimate\", \"note\": \"...\"}.")
            .JsonBody<LabelRequest>().Produces<DecisionEntry>()
            .Problems((400, "invalid-request"), (404, "not-found"), (409, "not-labelable"), (503, "store-unavailable"));
        admin.MapDelete("/decisions/{requestId}/label", UnlabelAsync).WithSummary("Undo a decision's label.")
            .Produces(StatusCodes.Status204NoContent).Problems((400, "invalid-request"), (404, "not-found"), (503, "store-unavailable"));
        admin.MapGet("/training-export", ExportAsync)
            .WithSummary("Labelled, scored decisions as training rows (JSON Lines, docs/training-data.md feature form); query: since.")
            .Query(QueryParameter.Since).Produces<string>(StatusCodes.Status200OK, "application/x-ndjson")
            .Problems((400, "invalid-request"), (503, "store-unavailable"));
    }

    public const int MaxNoteChars = 200;

    private static async Task ListAsync(HttpContext context, IDecisionStore decisions, DecisionOptions options, SubjectHasher hasher, Configuration.GatewaySettingsProvider settings)
    {
        var policies = settings.Current.Policies;
        if (DecisionQuery.Parse(context.Request.Query, hasher, out var error, policies.Keys.ToList(),
            policies.Values.SelectMany(p => p.RateLimits.Select(r => r.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase)) is not { } query)
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
        if (!await AttachLabelsAsync(context, decisions, page.Decisions))
        {
            return;
        }

        await context.Response.WriteAsJsonAsync(page, DecisionJsonContext.Default.DecisionPage);
    }

    private static async Task FindAsync(HttpContext context, string requestId, IDecisionStore decisions, DecisionOptions options)
    {
        if (requestId.Length is 0 or > 100)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "requestId must be the requestId of a problem+json answer.");
            return;
        }

        if (await FindEntryAsync(context, decisions, options, requestId) is not { } entry)
        {
            return;
        }

        if (await AttachLabelsAsync(context, decisions, [entry]))
        {
            await context.Response.WriteAsJsonAsync(entry, DecisionJsonContext.Default.DecisionEntry);
        }
    }

    private static async Task LabelAsync(HttpContext context, string requestId, IDecisionStore decisions, DecisionOptions options, TimeProvider time)
    {
        LabelRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, DecisionJsonContext.Default.LabelRequest, context.RequestAborted);
        }
        catch (JsonException)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "The body must be JSON: {\"label\": \"fraud\" | \"legitimate\", \"note\": \"...\"}.");
            return;
        }

        if (request?.Label is not ("fraud" or "legitimate"))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "label must be \"fraud\" or \"legitimate\".");
            return;
        }

        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        if (note is not null && (note.Length > MaxNoteChars || FreeText.ContainsAddress(note)))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, $"note must be at most {MaxNoteChars} characters and must not contain an IP or e-mail address (it is stored in clear; free text is not for personal data).");
            return;
        }

        if (await FindEntryAsync(context, decisions, options, requestId) is not { } entry)
        {
            return;
        }

        // A label is training data; a decision made before the model scored has no features to train on, and a label
        // that silently never reaches the export would mislead whoever labelled it.
        if (entry.Features is not { Length: > 0 })
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.NotLabelable, $"Decision {requestId} was made by {entry.Stage} ({entry.Reason}) before the risk model scored it: it has no features, so a label could not reach the training export. Label scored decisions (risk is present).");
            return;
        }

        var label = new DecisionLabel(request.Label, note, time.GetUtcNow(), AuditNotes.KeyIdOf(context));
        AuditNotes.Note(context, entry.ClientId, $"requestId={requestId} label={request.Label}");
        try
        {
            await decisions.SetLabelAsync(requestId, label, context.RequestAborted);
        }
        catch (StoreUnavailableException)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.StoreUnavailable, "The decision store does not answer.");
            return;
        }

        entry.Label = label;
        await context.Response.WriteAsJsonAsync(entry, DecisionJsonContext.Default.DecisionEntry);
    }

    private static async Task UnlabelAsync(HttpContext context, string requestId, IDecisionStore decisions)
    {
        if (requestId.Length is 0 or > 100)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, "requestId must be the requestId of a problem+json answer.");
            return;
        }

        bool removed;
        try
        {
            removed = await decisions.RemoveLabelAsync(requestId, context.RequestAborted);
        }
        catch (StoreUnavailableException)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.StoreUnavailable, "The decision store does not answer.");
            return;
        }

        if (!removed)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.NotFound, "That decision has no label.");
            return;
        }

        AuditNotes.Note(context, null, $"requestId={requestId} label removed");
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    // GET /admin/training-export?since=: every labelled decision that was scored, as a feature record
    // {"features":{...},"label":1|0,"policy":...} per line, the form fraudgateway-trainer train reads.
    private static async Task ExportAsync(HttpContext context, IDecisionStore decisions, DecisionOptions options)
    {
        if (!AdminQuery.TryParseSince(context.Request.Query, out var sinceMs, out var error))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.InvalidRequest, error);
            return;
        }

        if (await ReadAsync(context, decisions, null, sinceMs, options.MaxEntriesPerPolicy) is not { } entries)
        {
            return;
        }

        var scored = entries.Where(e => e.Features is { Length: > 0 }).ToList();
        if (!await AttachLabelsAsync(context, decisions, scored))
        {
            return;
        }

        context.Response.ContentType = "application/x-ndjson";
        var names = Model.FeatureSchema.Names;
        foreach (var entry in scored.Where(e => e.Label is not null).OrderBy(e => Order(e.Id)))
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(2048);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteStartObject("features");
                for (var i = 0; i < entry.Features!.Length && i < names.Length; i++)
                {
                    json.WriteNumber(names[i], entry.Features[i]);
                }

                json.WriteEndObject();
                json.WriteNumber("label", entry.Label!.Label == "fraud" ? 1 : 0);
                json.WriteString("scenario", "labelled:" + entry.Policy);
                json.WriteEndObject();
            }

            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
            await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted);
        }
    }

    // The recorded decision with that request id, or null once the answer (404 or 503) is written.
    private static async Task<DecisionEntry?> FindEntryAsync(HttpContext context, IDecisionStore decisions, DecisionOptions options, string requestId)
    {
        if (await ReadAsync(context, decisions, null, 0, options.MaxEntriesPerPolicy) is not { } entries)
        {
            return null;
        }

        if (entries.FirstOrDefault(e => e.RequestId == requestId) is not { } entry)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.NotFound, "No recorded decision has that request id (only refusals are recorded unless Decisions:Record is All, and only for Decisions:TtlSeconds).");
            return null;
        }

        return entry;
    }

    private static async Task<bool> AttachLabelsAsync(HttpContext context, IDecisionStore decisions, IReadOnlyList<DecisionEntry> entries)
    {
        try
        {
            var labels = await decisions.GetLabelsAsync(entries.Select(e => e.RequestId).ToList(), context.RequestAborted);
            foreach (var entry in entries)
            {
                entry.Label = labels.GetValueOrDefault(entry.RequestId);
            }

            return true;
        }
        catch (StoreUnavailableException)
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.StoreUnavailable, "The decision store does not answer.");
            return false;
        }
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
