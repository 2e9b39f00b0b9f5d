namespace FraudGateway;

// "FraudGateway healthcheck <url>": one GET, exit 0 on a 2xx and 1 otherwise, within 3 s. For container HEALTHCHECKs:
// the ASP.NET runtime image has neither curl nor wget, and the gateway's own binary needs nothing more.
internal static class HealthProbe
{
    public static int Run(string url)
    {
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            using var response = client.GetAsync(new Uri(url)).GetAwaiter().GetResult();
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            Console.Error.WriteLine($"healthcheck: {url}: {e.Message}");
            return 1;
        }
    }
}
