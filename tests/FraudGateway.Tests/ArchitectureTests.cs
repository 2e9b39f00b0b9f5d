using System.Reflection;
using NetArchTest.Rules;

namespace FraudGateway.Tests;

// The gateway's folders (namespaces) depend on each other in one direction, except where the design says otherwise:
// the pipeline and its stages know each other (GatewayPipeline lists the stages; a stage takes the request's
// FraudGatewayFeature), and Configuration composes every feature (it binds their options, they read its
// GatewaySettingsProvider). Every other cycle is an accident. This test computes the namespace dependency graph from
// the compiled assembly (NetArchTest, IL-level) and fails on any cycle outside the designed ones that is not on the
// known list below, which may only shrink: a new accidental cycle fails the build.
public class ArchitectureTests
{
    private static readonly Assembly Gateway = typeof(GatewayHost).Assembly;

    // The folders whose cycles with the others are designed.
    private static readonly string[] Designed = ["Pipeline", "Configuration"];

    // Accidental cycles still to be removed, each as its two folders ("A<->B"): none left; the list may only shrink.
    private static readonly HashSet<string> KnownAccidental = [];

    [Fact]
    public void Only_designed_cycles_between_folders()
    {
        var graph = Graph();
        var cycles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (from, tos) in graph)
        {
            foreach (var to in tos)
            {
                if (string.CompareOrdinal(from, to) < 0 && graph[to].Contains(from) && !Designed.Contains(from) && !Designed.Contains(to))
                {
                    cycles.Add($"{from}<->{to}");
                }
            }
        }

        var unexpected = cycles.Where(c => !KnownAccidental.Contains(c)).ToList();
        Assert.True(unexpected.Count == 0, "New accidental dependency cycles between folders: " + string.Join(", ", unexpected));
        var gone = KnownAccidental.Where(c => !cycles.Contains(c)).ToList();
        Assert.True(gone.Count == 0, "These cycles are gone; take them off ArchitectureTests.KnownAccidental: " + string.Join(", ", gone));
    }

    // Longer cycles (A -> B -> C -> A) outside the designed folders: none beyond those the known pairs make.
    [Fact]
    public void No_longer_accidental_cycles()
    {
        var graph = Graph();
        foreach (var designed in Designed)
        {
            graph.Remove(designed);
        }

        foreach (var tos in graph.Values)
        {
            tos.ExceptWith(Designed);
            tos.RemoveWhere(to => !graph.ContainsKey(to));
        }

        // Drop the known pairs' edges, then no cycle may remain.
        foreach (var pair in KnownAccidental)
        {
            var parts = pair.Split("<->");
            graph[parts[0]].Remove(parts[1]);
            graph[parts[1]].Remove(parts[0]);
        }

        var cycle = FindCycle(graph);
        Assert.True(cycle is null, "A dependency cycle between folders: " + string.Join(" -> ", cycle ?? []));
    }

    // Observation (logging and metrics) is used by every folder and uses none of them.
    [Fact]
    public void Observation_is_a_leaf()
    {
        var graph = Graph();

        Assert.DoesNotContain(graph["Observation"], to => to is not "Problems" and not "Validation");
    }

    // Computed once (every pair of folders is a check over the assembly's IL); each test gets its own copy.
    private static readonly Lazy<Dictionary<string, HashSet<string>>> Computed = new(Compute);

    private static Dictionary<string, HashSet<string>> Graph() =>
        Computed.Value.ToDictionary(kv => kv.Key, kv => new HashSet<string>(kv.Value, StringComparer.Ordinal));

    private static Dictionary<string, HashSet<string>> Compute()
    {
        var folders = Gateway.GetTypes()
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(n => n.StartsWith("FraudGateway.", StringComparison.Ordinal))
            .Select(n => n["FraudGateway.".Length..].Split('.')[0])
            .Distinct()
            .ToList();
        var graph = folders.ToDictionary(f => f, _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var from in folders)
        {
            foreach (var to in folders.Where(to => to != from))
            {
                var result = Types.InAssembly(Gateway).That().ResideInNamespace("FraudGateway." + from)
                    .Should().NotHaveDependencyOn("FraudGateway." + to).GetResult();
                if (!result.IsSuccessful)
                {
                    graph[from].Add(to);
                }
            }
        }

        return graph;
    }

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = graph.Keys.ToDictionary(k => k, _ => 0);
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph[node].Order(StringComparer.Ordinal))
            {
                if (state[next] == 1)
                {
                    return [.. path[path.IndexOf(next)..], next];
                }

                if (state[next] == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (state[node] == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }
}
