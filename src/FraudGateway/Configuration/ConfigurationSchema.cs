using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace FraudGateway.Configuration;

/// <summary>
/// The JSON schema of appsettings.json's FraudGateway section, generated from the options classes the gateway binds
/// (System.Text.Json's schema exporter), so it cannot drift from them: schemas/appsettings.schema.json is this
/// output (<c>dotnet FraudGateway.dll schema</c>; a test compares the two). Editors read it through the "$schema"
/// member of appsettings.json to complete and check settings. Unknown keys are refused (additionalProperties false),
/// as the gateway refuses them at start.
/// </summary>
internal static class ConfigurationSchema
{
    public static string Generate()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Converters = { new JsonStringEnumConverter() },
        };
        var exporter = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = static (context, node) =>
            {
                // Objects of the gateway's own options classes take only their own keys; dictionaries take any.
                if (node is JsonObject schema && context.TypeInfo.Kind == JsonTypeInfoKind.Object
                    && context.TypeInfo.Type.Namespace?.StartsWith("FraudGateway", StringComparison.Ordinal) == true)
                {
                    schema["additionalProperties"] = false;
                }

                return node;
            },
        };
        var section = options.GetJsonSchemaAsNode(typeof(FraudGatewayOptions), exporter);
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["title"] = "FraudGateway appsettings.json",
            ["description"] = "The FraudGateway section is checked here; ReverseProxy (YARP), Logging, Urls and the rest of ASP.NET Core's settings are passed through.",
            ["type"] = "object",
            ["properties"] = new JsonObject { [FraudGatewayOptions.SectionName] = section },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
