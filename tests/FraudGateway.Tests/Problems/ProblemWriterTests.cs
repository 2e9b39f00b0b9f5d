using System.Text.Json;
using FraudGateway.Problems;
using Microsoft.AspNetCore.Http;

namespace FraudGateway.Tests.Problems;

public class ProblemWriterTests
{
    [Fact]
    public async Task WriteAsync_WritesRfc9457DocumentWithRequestId()
    {
        var context = new DefaultHttpContext { TraceIdentifier = "req-42" };
        context.Request.Path = "/api/auth/login";
        context.Response.Body = new MemoryStream();

        await ProblemWriter.WriteAsync(context, GatewayProblems.AccessDenied, "detail text");

        Assert.Equal(403, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
        context.Response.Body.Position = 0;
        using var json = await JsonDocument.ParseAsync(context.Response.Body);
        var root = json.RootElement;
        Assert.Equal("urn:fraudgateway:problem:access-denied", root.GetProperty("type").GetString());
        Assert.Equal(GatewayProblems.AccessDenied.Title, root.GetProperty("title").GetString());
        Assert.Equal(403, root.GetProperty("status").GetInt32());
        Assert.Equal("detail text", root.GetProperty("detail").GetString());
        Assert.Equal("/api/auth/login", root.GetProperty("instance").GetString());
        Assert.Equal("req-42", root.GetProperty("requestId").GetString());
    }

    [Fact]
    public void GatewayProblems_EveryTypeIsUniqueAndUnderThePrefix()
    {
        var problems = typeof(GatewayProblems).GetFields().Select(f => (GatewayProblem)f.GetValue(null)!).ToList();

        Assert.Equal(problems.Count, problems.Select(p => p.Type).Distinct().Count());
        Assert.All(problems, p => Assert.StartsWith(GatewayProblem.TypePrefix, p.Type));
        Assert.All(problems, p => Assert.InRange(p.Status, 400, 599));
    }
}
