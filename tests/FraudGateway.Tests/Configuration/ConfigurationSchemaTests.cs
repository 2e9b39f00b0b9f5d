using System.Text.Json;
using System.Text.Json.Nodes;
using FraudGateway.Configuration;
using FraudGateway.Tests.Model;
using Json.Schema;

namespace FraudGateway.Tests.Configuration;

// schemas/appsettings.schema.json is what the options classes generate (so it stays in step with them), the shipped
// appsettings.json is valid against it, and it catches what the gateway refuses: an unknown key, a wrong enum name.
public class ConfigurationSchemaTests
{
    private static string SchemaPath => Path.Combine(RepoPaths.Root, "schemas", "appsettings.schema.json");

    [Fact]
    public void The_committed_schema_is_what_the_options_classes_generate()
    {
        Assert.True(File.ReadAllText(SchemaPath) == ConfigurationSchema.Generate(),
            "schemas/appsettings.schema.json is out of date: regenerate it with `dotnet src/FraudGateway/bin/Release/net10.0/FraudGateway.dll schema > schemas/appsettings.schema.json`.");
    }

    [Fact]
    public void The_shipped_configuration_is_valid_and_points_at_the_schema()
    {
        var shipped = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "FraudGateway", "appsettings.json")))!;

        Assert.Equal("../../schemas/appsettings.schema.json", (string?)shipped["$schema"]);
        Assert.True(Evaluate(shipped).IsValid);
    }

    [Fact]
    public void A_typo_or_a_wrong_value_is_refused()
    {
        var shipped = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "FraudGateway", "appsettings.json")))!;
        var typo = shipped.DeepClone();
        var limit = typo["FraudGateway"]!["Policies"]!["login"]!["RateLimits"]![0]!.AsObject();
        limit["Limt"] = limit["Limit"]!.DeepClone();
        var badEnum = shipped.DeepClone();
        badEnum["FraudGateway"]!["Policies"]!["login"]!["OnStoreFailure"] = "Sometimes";
        var badNumber = shipped.DeepClone();
        badNumber["FraudGateway"]!["Store"]!["OperationTimeoutMs"] = "soon";

        Assert.False(Evaluate(typo).IsValid);
        Assert.False(Evaluate(badEnum).IsValid);
        Assert.False(Evaluate(badNumber).IsValid);
    }

    private static EvaluationResults Evaluate(JsonNode configuration) =>
        JsonSchema.FromText(File.ReadAllText(SchemaPath)).Evaluate(JsonDocument.Parse(configuration.ToJsonString()).RootElement);
}
