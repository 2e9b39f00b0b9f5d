using System.Reflection;
using FraudGateway.Observation;
using Microsoft.Extensions.Logging;

namespace FraudGateway.Tests.Observation;

public class LogEventsTests
{
    // Every [LoggerMessage] of the gateway takes its id from the one list, with a name, and no id is used twice.
    [Fact]
    public void Every_log_event_has_a_unique_listed_id_and_a_name()
    {
        var listed = typeof(LogEvents).GetFields(BindingFlags.Public | BindingFlags.Static).ToDictionary(f => (int)f.GetRawConstantValue()!, f => f.Name);
        Assert.Equal(typeof(LogEvents).GetFields().Length, listed.Count);

        var used = typeof(GatewayMetrics).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();
        Assert.True(used.Count >= listed.Count, $"{used.Count} log methods for {listed.Count} listed events");
        Assert.All(used, x =>
        {
            Assert.True(listed.TryGetValue(x.Attribute!.EventId, out var name), $"{x.Method.DeclaringType}.{x.Method.Name} uses unlisted event id {x.Attribute.EventId}");
            Assert.Equal(name, x.Attribute.EventName);
        });
        Assert.Equal(used.Count, used.Select(x => x.Attribute!.EventId).Distinct().Count());
    }

    // The decision records' category, named as a string where a type reference would make a dependency cycle.
    [Fact]
    public void The_decision_record_category_is_the_recorders_type()
    {
        Assert.Equal(LogCategories.DecisionRecords, typeof(FraudGateway.Decisions.DecisionRecorder).FullName);
    }
}
