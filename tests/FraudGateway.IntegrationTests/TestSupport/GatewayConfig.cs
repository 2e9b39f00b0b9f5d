using System.Text.Json.Nodes;

namespace FraudGateway.IntegrationTests.TestSupport;

// The configuration a test starts the gateway with, as the JSON an operator would write.
public static class GatewayConfig
{
    public const string ApiKey = "integration-test-api-key-0123456789";

    // The shipped configuration (src/FraudGateway/appsettings.json) with the test's upstream, the repository's model
    // and a fixed API key and HMAC key.
    public static JsonObject Shipped(string upstreamUrl)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "FraudGateway.sln")))
        {
            root = root.Parent!;
        }

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(root.FullName, "src", "FraudGateway", "appsettings.json")))!.AsObject();
        config["ReverseProxy"]!["Clusters"]!["sample-api"]!["Destinations"]!["primary"]!["Address"] = upstreamUrl;
        var gateway = config["FraudGateway"]!.AsObject();
        gateway["Model"]!["Path"] = Path.Combine(root.FullName, "models", "fraudgateway.zip");
        gateway["Management"]!["ApiKey"] = ApiKey;
        gateway["Privacy"] = new JsonObject { ["HmacKey"] = "integration-test-hmac-key-0123456789abcdef" };
        return config;
    }

    public static JsonObject Default(string upstreamUrl) => new()
    {
        ["FraudGateway"] = new JsonObject
        {
            ["Identity"] = new JsonObject { ["TrustedProxies"] = new JsonArray("127.0.0.1", "::1") },
            ["AccessLists"] = new JsonObject { ["Deny"] = new JsonArray("198.51.100.0/24"), ["Allow"] = new JsonArray("192.0.2.10") },
            ["Management"] = new JsonObject { ["ApiKey"] = ApiKey },
            ["Privacy"] = new JsonObject { ["HmacKey"] = "integration-test-hmac-key-0123456789abcdef" },
            ["Policies"] = new JsonObject
            {
                ["login"] = new JsonObject { ["Deny"] = new JsonArray("203.0.113.0/24"), ["OnStoreFailure"] = "FailClosed" },
                ["contact-form"] = new JsonObject { ["OnStoreFailure"] = "FailOpen" },
            },
        },
        ["ReverseProxy"] = new JsonObject
        {
            ["Routes"] = new JsonObject
            {
                ["auth"] = Route("/api/auth/{**rest}", "login"),
                ["contact"] = Route("/api/contact", "contact-form"),
                ["public"] = new JsonObject { ["ClusterId"] = "sample-api", ["Match"] = new JsonObject { ["Path"] = "/api/ping" } },
            },
            ["Clusters"] = new JsonObject
            {
                ["sample-api"] = new JsonObject
                {
                    ["Destinations"] = new JsonObject { ["primary"] = new JsonObject { ["Address"] = upstreamUrl } },
                },
            },
        },
    };

    public static JsonObject Route(string path, string? policy, string cluster = "sample-api")
    {
        var route = new JsonObject { ["ClusterId"] = cluster, ["Match"] = new JsonObject { ["Path"] = path } };
        if (policy is not null)
        {
            route["Metadata"] = new JsonObject { ["FraudGateway.Policy"] = policy };
        }

        return route;
    }
}
