using System.Globalization;

namespace FraudGateway.Admin;

// Query parameters the admin API's lists share: since (a date and time) and limit (a bounded page size).
internal static class AdminQuery
{
    public static bool TryParseSince(IQueryCollection query, out long sinceMs, out string error)
    {
        sinceMs = 0;
        error = "";
        if (query["since"].ToString() is not { Length: > 0 } text)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var since))
        {
            error = "since must be a date and time, e.g. 2026-12-01T08:00:00Z.";
            return false;
        }

        sinceMs = since.ToUnixTimeMilliseconds();
        return true;
    }

    public static bool TryParseLimit(IQueryCollection query, int defaultLimit, int maxLimit, out int limit, out string error)
    {
        limit = defaultLimit;
        error = "";
        if (query["limit"].ToString() is { Length: > 0 } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
        {
            error = $"limit must be a whole number from 1 to {maxLimit}.";
            return false;
        }

        return true;
    }
}
