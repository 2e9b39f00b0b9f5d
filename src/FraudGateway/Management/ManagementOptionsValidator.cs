namespace FraudGateway.Management;

// FraudGateway:Management, checked at start: a separate http listener with an explicit port, and a usable API key.
internal static class ManagementOptionsValidator
{
    public static void Validate(ManagementOptions options, IConfiguration configuration, List<string> errors)
    {
        if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || url.Port <= 0 || url.AbsolutePath != "/")
        {
            errors.Add($"FraudGateway:Management:Url must be an http URL with an explicit non-zero port and no path (was '{options.Url}').");
        }
        else if (PublicPorts(configuration).Contains(url.Port))
        {
            errors.Add($"FraudGateway:Management:Url uses port {url.Port}, which is also a public port in Urls; the management port must be separate.");
        }

        Validation.ConfigCheck.Range(options.AuditTtlSeconds, 3600, 400L * 24 * 3600, "FraudGateway:Management:AuditTtlSeconds", errors);
        if (options.ApiKey.Length is > 0 and < 16)
        {
            errors.Add("FraudGateway:Management:ApiKey must be at least 16 characters.");
        }
    }

    // The public listeners' ports, from Urls (or ASPNETCORE_URLS).
    public static IEnumerable<int> PublicPorts(IConfiguration configuration)
    {
        var urls = configuration["Urls"] ?? configuration["ASPNETCORE_URLS"] ?? "";
        foreach (var part in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var normalized = part.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal);
            if (Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
            {
                yield return uri.Port;
            }
        }
    }
}
