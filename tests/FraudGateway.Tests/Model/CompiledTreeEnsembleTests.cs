using FraudGateway.Model;
using Microsoft.ML;

namespace FraudGateway.Tests.Model;

// The compiled trees must give ML.NET's engine's score to the bit, or not be used at all.
public class CompiledTreeEnsembleTests
{
    private static readonly Lazy<RiskModel> Shipped = new(() => RiskModel.Load(RepoPaths.ShippedModel));

    private static CompiledTreeEnsemble ShippedTrees() =>
        CompiledTreeEnsemble.Create(new MLContext(0).Model.Load(RepoPaths.ShippedModel, out _))
        ?? throw new InvalidOperationException("the shipped model's trees were not read");

    [Fact]
    public void The_shipped_model_scores_with_its_compiled_trees()
    {
        Assert.True(Shipped.Value.UsesCompiledTrees);
        Assert.Equal(100, ShippedTrees().TreeCount);
    }

    // Real user agents (browsers and crawlers of the corpora, held-out sources too), each under a browser's header set
    // and a script's, with counters from none to a stuffing run's: the same float from both scorers.
    [Fact]
    public void Real_user_agents_score_the_same_as_through_the_engine()
    {
        var extractor = new FeatureExtractor(IpLists.None);
        var agents = Agents("corpora/browser-user-agents.tsv", 2).Concat(Agents("corpora/crawler-user-agents.tsv", 1))
            .Concat(Agents("heldout/top-user-agents.tsv", 0)).Concat(Agents("heldout/random-useragent-bots.tsv", 0)).ToList();
        Assert.True(agents.Count > 3000, $"{agents.Count} user agents read");
        var compared = 0;
        foreach (var agent in agents)
        {
            foreach (var browserHeaders in new[] { true, false })
            {
                foreach (var counters in new[] { 0f, 1f, 40f })
                {
                    var facts = new RequestFacts
                    {
                        UserAgent = agent, Method = "POST", ContentType = "application/json", BodyLength = 60,
                        Accept = browserHeaders ? "*/*" : "application/json",
                        AcceptLanguage = browserHeaders ? "en-US,en;q=0.9" : null,
                        SecFetchSite = browserHeaders ? "same-origin" : null, SecFetchMode = browserHeaders ? "cors" : null, SecFetchDest = browserHeaders ? "empty" : null,
                        Ip = System.Net.IPAddress.Parse("81.2.69.160"),
                        SecondsSincePrevious = counters == 0 ? -1 : 2, InterArrivalCv = counters == 0 ? -1 : 0.1,
                    };
                    if (counters > 0)
                    {
                        for (var slot = FeatureSchema.RequestsPerIpMinute; slot <= FeatureSchema.DistinctIpsPerAccount; slot++)
                        {
                            facts.SetCounter(slot, counters);
                        }
                    }

                    var vector = extractor.Extract(facts);
                    Assert.Equal(Shipped.Value.ScoreWithEngine(vector), Shipped.Value.Score(vector));
                    compared++;
                }
            }
        }

        Assert.Equal(agents.Count * 6, compared);
    }

    [Fact]
    public void Probe_vectors_and_their_split_edges_score_the_same_as_through_the_engine()
    {
        var trees = ShippedTrees();
        var probes = trees.ProbeVectors(5000, FeatureSchema.Count).ToList();
        Assert.All(probes, p => Assert.Equal(Shipped.Value.ScoreWithEngine(p), trees.Score(p)));
        // The probes reach both sides of the splits: they do not all land on one score.
        Assert.True(probes.Select(p => trees.Score(p)).Distinct().Count() > 1000);
    }

    [Fact]
    public void A_vector_shorter_than_the_model_reads_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ShippedTrees().Score(new float[3]));
        Assert.Contains("reads slot", e.Message);
    }

    // A chain without a calibrated FastTree ensemble is not read: the engine scores it.
    [Fact]
    public void A_model_without_a_fast_tree_ensemble_is_not_compiled()
    {
        var ml = new MLContext(0);
        var data = ml.Data.LoadFromEnumerable(new[] { new ModelInput(), new ModelInput { Label = true } });
        var concat = ml.Transforms.Concatenate("All", nameof(ModelInput.Features)).Fit(data);
        Assert.Null(CompiledTreeEnsemble.Create(concat));
    }

    // Crafted trees: one split on slot 0 at 0.5 (left leaf 1.0, right leaf -1.0), Platt slope -1, offset 0.
    private static CompiledTreeEnsemble.TreeArrays Stump(int left = ~0, int right = ~1, int feature = 0, double[]? leaves = null) =>
        new([feature], [0.5f], [left], [right], leaves ?? [1.0, -1.0]);

    [Fact]
    public void A_crafted_stump_scores_with_its_weights_bias_and_calibrator()
    {
        var trees = CompiledTreeEnsemble.FromTrees([Stump(), Stump()], [1.0, 0.5], bias: 0.25, slope: -1, offset: 0)!;
        float[] low = [0.5f], high = [0.6f], missing = [float.NaN];
        // Both trees go left at the threshold: 1.0 + 0.5 + 0.25 = 1.75; right: -1.0 - 0.5 + 0.25 = -1.25; NaN goes right.
        Assert.Equal((float)(1 / (1 + Math.Exp(-1.75))), trees.Score(low));
        Assert.Equal((float)(1 / (1 + Math.Exp(1.25))), trees.Score(high));
        Assert.Equal(trees.Score(high), trees.Score(missing));
    }

    // A tree that could loop (a child that is not a later node), points outside itself or splits on a negative slot is
    // not compiled: scoring stays with the engine rather than hang or read out of bounds.
    [Fact]
    public void Malformed_trees_are_not_compiled()
    {
        Assert.Null(CompiledTreeEnsemble.FromTrees([Stump(left: 0)], [1.0], 0, -1, 0));
        Assert.Null(CompiledTreeEnsemble.FromTrees([Stump(right: 1)], [1.0], 0, -1, 0));
        Assert.Null(CompiledTreeEnsemble.FromTrees([Stump(left: ~2)], [1.0], 0, -1, 0));
        Assert.Null(CompiledTreeEnsemble.FromTrees([Stump(feature: -1)], [1.0], 0, -1, 0));
        Assert.Null(CompiledTreeEnsemble.FromTrees([Stump(leaves: [1.0])], [1.0], 0, -1, 0));
        Assert.Null(CompiledTreeEnsemble.FromTrees([Stump()], [1.0, 1.0], 0, -1, 0));
        // A tree of one leaf adds nothing.
        var withLeaf = CompiledTreeEnsemble.FromTrees([Stump(), new([], [], [], [], [3.0])], [1.0, 1.0], 0, -1, 0)!;
        Assert.Equal(1, withLeaf.TreeCount);
        Assert.Equal((float)(1 / (1 + Math.Exp(-1.0))), withLeaf.Score([0f]));
    }

    // Random well-formed trees of uneven depth, one to nine of them (so groups of four walked side by side and the trees
    // after them), and vectors with missing values: the compiled walk gives what a plain walk of each tree, summed in
    // tree order, gives.
    [Fact]
    public void Uneven_trees_in_any_number_score_as_a_plain_walk_of_each_does()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var trees = Enumerable.Range(0, random.Next(1, 10)).Select(_ => RandomTree(random)).ToList();
            var weights = trees.Select(_ => random.NextDouble() * 2).ToList();
            var compiled = CompiledTreeEnsemble.FromTrees(trees, weights, bias: 0.1, slope: -1.3, offset: 0.2)!;
            for (var v = 0; v < 50; v++)
            {
                var vector = Enumerable.Range(0, 4).Select(_ => random.Next(10) == 0 ? float.NaN : (float)random.NextDouble()).ToArray();
                var raw = 0.0;
                for (var t = 0; t < trees.Count; t++)
                {
                    raw += weights[t] * PlainWalk(trees[t], vector);
                }

                Assert.Equal((float)(1.0 / (1.0 + Math.Exp((-1.3 * (float)(raw + 0.1)) + 0.2))), compiled.Score(vector));
            }
        }
    }

    // A random full binary tree numbered as FastTree numbers it (children after their parent), 1 to 8 splits deep.
    private static CompiledTreeEnsemble.TreeArrays RandomTree(Random random)
    {
        List<int> features = [], left = [], right = [];
        List<float> thresholds = [];
        List<double> leaves = [];
        Build(0);
        return new(features, thresholds, left, right, leaves);

        int Build(int depth)
        {
            if (depth > 0 && (depth >= 8 || random.Next(3) == 0))
            {
                leaves.Add(random.NextDouble() - 0.5);
                return ~(leaves.Count - 1);
            }

            var node = features.Count;
            features.Add(random.Next(4));
            thresholds.Add((float)random.NextDouble());
            left.Add(0);
            right.Add(0);
            left[node] = Build(depth + 1);
            right[node] = Build(depth + 1);
            return node;
        }
    }

    private static double PlainWalk(CompiledTreeEnsemble.TreeArrays tree, float[] vector)
    {
        var node = 0;
        while (node >= 0)
        {
            node = vector[tree.Features[node]] <= tree.Thresholds[node] ? tree.Left[node] : tree.Right[node];
        }

        return tree.LeafValues[~node];
    }

    // Every tab-separated line's last field, skipping comments; one in `every` lines (0: all).
    private static IEnumerable<string> Agents(string relative, int every) =>
        File.ReadLines(Path.Combine(RepoPaths.Root, "data", relative))
            .Where(line => line.Length > 0 && line[0] != '#')
            .Where((_, i) => every <= 1 || i % every == 0)
            .Select(line => line[(line.LastIndexOf('\t') + 1)..]);
}
