using FraudGateway.Problems;

namespace FraudGateway.Captcha;

// Public endpoints of the self-hosted proof-of-work challenge: a fresh signed challenge, and the browser solver.
internal static class CaptchaEndpoints
{
    public static void MapCaptchaEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(CaptchaStage.ChallengePath, (HttpContext context, string? provider, CaptchaProviderRegistry providers, CaptchaOptions options) =>
        {
            if (provider is null || providers.Find(provider) is not ProofOfWorkProvider pow)
            {
                return ProblemWriter.WriteAsync(context, GatewayProblems.NotFound, "provider must name a ProofOfWork captcha provider.");
            }

            context.Response.Headers.CacheControl = "no-store";
            return context.Response.WriteAsJsonAsync(
                new ProofOfWorkChallenge(pow.IssueChallenge(), pow.Difficulty, ProofOfWorkProvider.Algorithm, options.MaxTokenAgeSeconds),
                CaptchaJsonContext.Default.ProofOfWorkChallenge);
        });

        var solver = Path.Combine(AppContext.BaseDirectory, "wwwroot", "fraudgateway-pow.js");
        endpoints.MapGet("/.fraudgateway/pow.js", () => Results.File(solver, "text/javascript; charset=utf-8"));
    }
}

internal sealed record ProofOfWorkChallenge(string Challenge, int Difficulty, string Algorithm, int ExpiresInSeconds);

[System.Text.Json.Serialization.JsonSerializable(typeof(ProofOfWorkChallenge))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class CaptchaJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
