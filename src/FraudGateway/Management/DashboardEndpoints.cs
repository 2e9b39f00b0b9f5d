using FraudGateway.Problems;

namespace FraudGateway.Management;

// GET /dashboard on the management port: three static files from wwwroot/dashboard (copied next to the gateway),
// no CDN and no build step. The page itself is public on that port; everything it shows comes from the /admin API
// with the key the user enters. A strict Content-Security-Policy: only this origin's scripts, styles and API.
internal static class DashboardEndpoints
{
    private static readonly Dictionary<string, string> Files = new(StringComparer.Ordinal)
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["dashboard.css"] = "text/css; charset=utf-8",
    };

    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "wwwroot", "dashboard");

    public static void MapDashboard(this IEndpointRouteBuilder management)
    {
        management.MapGet("/dashboard", context => SendAsync(context, "index.html")).ExcludeFromDescription();
        management.MapGet("/dashboard/{file}", (HttpContext context, string file) => SendAsync(context, file)).ExcludeFromDescription();
    }

    private static async Task SendAsync(HttpContext context, string file)
    {
        var path = Path.Combine(Directory, file);
        if (!Files.TryGetValue(file, out var contentType) || !File.Exists(path))
        {
            await ProblemWriter.WriteAsync(context, GatewayProblems.RouteNotFound);
            return;
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        headers["Referrer-Policy"] = "no-referrer";
        context.Response.ContentType = contentType;
        await context.Response.SendFileAsync(path, context.RequestAborted);
    }
}
