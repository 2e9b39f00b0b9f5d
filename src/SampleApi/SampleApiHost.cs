using System.Security.Cryptography;

namespace SampleApi;

// The demo upstream the gateway protects: a contact form and the usual auth endpoints.
// It is deliberately plain: it trusts every request it gets, which is the point of putting
// the gateway in front of it.
public static class SampleApiHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<UserDirectory>();
        builder.Services.AddSingleton<ContactInbox>();
        builder.Services.AddProblemDetails();
        configure?.Invoke(builder);

        var app = builder.Build();
        MapEndpoints(app);
        return app;
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet("/api/ping", (HttpContext context) => Results.Json(new PingResponse("pong", context.Request.Headers["X-Forwarded-For"].ToString())));

        app.MapPost("/api/contact", async (HttpContext context, ContactInbox inbox) =>
        {
            var message = await ContactMessage.ReadAsync(context.Request, context.RequestAborted);
            if (message is null)
            {
                return Results.Problem(statusCode: 400, title: "The contact form needs name, email and message.", type: "urn:sampleapi:problem:invalid-contact-form");
            }

            var id = inbox.Add(message);
            return Results.Json(new ContactAccepted(id), statusCode: 202);
        });

        app.MapPost("/api/auth/login", (Credentials? credentials, UserDirectory users) =>
        {
            if (credentials is null || string.IsNullOrWhiteSpace(credentials.Username) || credentials.Password is null)
            {
                return Results.Problem(statusCode: 400, title: "username and password are required.", type: "urn:sampleapi:problem:invalid-login-request");
            }

            return users.Verify(credentials.Username, credentials.Password)
                ? Results.Json(new LoginSucceeded(Convert.ToHexString(RandomNumberGenerator.GetBytes(16))))
                : Results.Problem(statusCode: 401, title: "Wrong username or password.", type: "urn:sampleapi:problem:invalid-credentials");
        });

        app.MapPost("/api/auth/signup", (Credentials? credentials, UserDirectory users) =>
        {
            if (credentials is null || string.IsNullOrWhiteSpace(credentials.Username) || string.IsNullOrEmpty(credentials.Password) || credentials.Password.Length < 8)
            {
                return Results.Problem(statusCode: 400, title: "username and a password of at least 8 characters are required.", type: "urn:sampleapi:problem:invalid-signup-request");
            }

            return users.TryAdd(credentials.Username, credentials.Password)
                ? Results.Json(new SignupSucceeded(credentials.Username.Trim()), statusCode: 201)
                : Results.Problem(statusCode: 409, title: "That username is taken.", type: "urn:sampleapi:problem:username-taken");
        });

        // Always 202, whether or not the address is known, so the endpoint cannot be used to enumerate accounts.
        app.MapPost("/api/auth/password-reset", (PasswordResetRequest? request) =>
            request is null || string.IsNullOrWhiteSpace(request.Email)
                ? Results.Problem(statusCode: 400, title: "email is required.", type: "urn:sampleapi:problem:invalid-reset-request")
                : Results.Json(new ResetAccepted("If the address is registered, a reset link is on its way."), statusCode: 202));
    }
}

public sealed record PingResponse(string Status, string ForwardedFor);
public sealed record Credentials(string? Username, string? Password);
public sealed record PasswordResetRequest(string? Email);
public sealed record LoginSucceeded(string Token);
public sealed record SignupSucceeded(string Username);
public sealed record ContactAccepted(long Id);
public sealed record ResetAccepted(string Message);
