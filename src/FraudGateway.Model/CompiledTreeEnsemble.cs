using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace FraudGateway.Model;

// The live model's score without ML.NET's prediction engine: the FastTree ensemble's trees and its Platt calibrator,
// read once from the loaded model (ML.NET's public model parameters) into flat arrays and walked directly.
//
// Why our own code beside ML.NET: scoring runs on every request of a scored policy, and the engine's row, cursor and
// getter machinery costs as much as the 100 trees themselves (load-tests/ScoringBench; the figures are in
// docs/performance.md). ML.NET stays the only trainer, file format and explainer (feature
// contributions); this reads what it trained and answers the one number the gateway needs per request.
//
// It can only be used when it gives ML.NET's answers: Create returns null for anything it does not read exactly
// (another trainer or calibrator, categorical splits), and RiskModel checks it against the engine on probe vectors at
// load (Agrees) before using it; otherwise the engine scores.
public sealed class CompiledTreeEnsemble
{
    // Every tree's nodes in one array, each tree's after the previous tree's; a node's four fields side by side, so a
    // step of the walk reads one cache line. A child >= 0 is a node (absolute index); a child < 0 is ~leaf, an
    // absolute index into _leafValues, which hold each leaf's value times its tree's weight.
    private readonly Node[] _nodes;
    private readonly double[] _leafValues;
    private readonly int[] _roots;
    private readonly double _bias;
    private readonly double _slope;
    private readonly double _offset;

    private readonly record struct Node(int Feature, float Threshold, int Lte, int Gt);

    private CompiledTreeEnsemble(Node[] nodes, double[] leafValues, int[] roots, double bias, double slope, double offset)
    {
        (_nodes, _leafValues, _roots) = (nodes, leafValues, roots);
        (_bias, _slope, _offset) = (bias, slope, offset);
    }

    // Trees with at least one split (a one-leaf tree adds nothing).
    public int TreeCount => _roots.Length;

    // The largest feature index any split reads: vectors must be longer than this.
    public int MaxFeatureIndex { get; private init; }

    // The ensemble of a calibrated FastTree binary model in the chain, or null when the chain holds none this reads.
    public static CompiledTreeEnsemble? Create(ITransformer transformer)
    {
        IEnumerable<ITransformer> parts = transformer is TransformerChain<ITransformer> chain ? chain : [transformer];
        var predictor = parts.OfType<BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>>>().FirstOrDefault();
        if (predictor?.Model is not { SubModel: { } trees, Calibrator: { } platt })
        {
            return null;
        }

        var ensemble = trees.TrainedTreeEnsemble;
        if (ensemble.Trees.Any(tree => tree.CategoricalSplitFlags.Any(flag => flag)))
        {
            return null;
        }

        return FromTrees(
            ensemble.Trees.Select(tree => new TreeArrays(
                [.. tree.NumericalSplitFeatureIndexes.Take(tree.NumberOfNodes)], [.. tree.NumericalSplitThresholds.Take(tree.NumberOfNodes)],
                [.. tree.LeftChild.Take(tree.NumberOfNodes)], [.. tree.RightChild.Take(tree.NumberOfNodes)], [.. tree.LeafValues.Take(tree.NumberOfLeaves)])).ToList(),
            ensemble.TreeWeights, ensemble.Bias, platt.Slope, platt.Offset);
    }

    // One tree as ML.NET's public model parameters give it: per node its split feature, threshold and children (a
    // child >= 0 is a node of this tree, < 0 is ~leaf), and the leaf values.
    internal sealed record TreeArrays(IReadOnlyList<int> Features, IReadOnlyList<float> Thresholds, IReadOnlyList<int> Left, IReadOnlyList<int> Right,
        IReadOnlyList<double> LeafValues);

    // Null unless every tree is well formed: one more leaf than nodes, every split on a feature index >= 0, every child
    // a later node of the same tree (FastTree numbers children after their parent, so a walk always ends) or one of its
    // leaves. A tree without a node (one leaf) adds 0, as ML.NET's engine scores an empty tree; were that ever not the
    // engine's answer, the check at load (RiskModel) would find it and leave scoring to the engine.
    internal static CompiledTreeEnsemble? FromTrees(IReadOnlyList<TreeArrays> trees, IReadOnlyList<double> weights, double bias, double slope, double offset)
    {
        if (weights.Count != trees.Count)
        {
            return null;
        }

        var compiled = new List<Node>();
        var leafValues = new List<double>();
        var roots = new List<int>();
        var maxFeature = -1;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            var nodes = tree.Features.Count;
            if (nodes == 0)
            {
                continue;
            }

            if (tree.Thresholds.Count != nodes || tree.Left.Count != nodes || tree.Right.Count != nodes || tree.LeafValues.Count != nodes + 1)
            {
                return null;
            }

            int nodeBase = compiled.Count, leafBase = leafValues.Count;
            for (var n = 0; n < nodes; n++)
            {
                int feature = tree.Features[n], left = tree.Left[n], right = tree.Right[n];
                if (feature < 0 || !ValidChild(left, n, nodes) || !ValidChild(right, n, nodes))
                {
                    return null;
                }

                compiled.Add(new Node(feature, tree.Thresholds[n], Rebase(left, nodeBase, leafBase), Rebase(right, nodeBase, leafBase)));
                maxFeature = Math.Max(maxFeature, feature);
            }

            // The same double product the sum would take per request.
            for (var l = 0; l < tree.LeafValues.Count; l++)
            {
                leafValues.Add(weights[t] * tree.LeafValues[l]);
            }

            roots.Add(nodeBase);
        }

        return new CompiledTreeEnsemble([.. compiled], [.. leafValues], [.. roots], bias, slope, offset) { MaxFeatureIndex = maxFeature };
    }

    private static bool ValidChild(int child, int node, int nodes) => child >= 0 ? child > node && child < nodes : ~child <= nodes;

    private static int Rebase(int child, int nodeBase, int leafBase) => child >= 0 ? child + nodeBase : ~(~child + leafBase);

    // The calibrated probability, as ML.NET's engine computes it: the trees' weighted outputs summed in double, in
    // tree order, plus the bias, as a float; then Platt's 1 / (1 + e^(slope * raw + offset)).
    //
    // Four trees are walked side by side while all four are still at a split, then each to its leaf: the four walks'
    // reads are independent, so the processor overlaps them (each step of one walk waits for its node's read); it
    // pays most when a request's other work has evicted the trees (docs/performance.md, "Design figures"). A lockstep walk of
    // each group's full depth, with no branch at all, is slower: the trees are uneven, and it walks every tree as
    // deep as its group's deepest.
    public float Score(ReadOnlySpan<float> features)
    {
        if (features.Length <= MaxFeatureIndex)
        {
            throw new ArgumentException($"The feature vector has {features.Length} slots; the model reads slot {MaxFeatureIndex}.", nameof(features));
        }

        var nodes = _nodes;
        var leaves = _leafValues;
        var roots = _roots;
        var raw = 0.0;
        var t = 0;
        for (; t + 4 <= roots.Length; t += 4)
        {
            int a = roots[t], b = roots[t + 1], c = roots[t + 2], d = roots[t + 3];
            while ((a | b | c | d) >= 0)
            {
                a = Step(nodes, features, a);
                b = Step(nodes, features, b);
                c = Step(nodes, features, c);
                d = Step(nodes, features, d);
            }

            while (a >= 0) { a = Step(nodes, features, a); }
            while (b >= 0) { b = Step(nodes, features, b); }
            while (c >= 0) { c = Step(nodes, features, c); }
            while (d >= 0) { d = Step(nodes, features, d); }
            raw += leaves[~a];
            raw += leaves[~b];
            raw += leaves[~c];
            raw += leaves[~d];
        }

        for (; t < roots.Length; t++)
        {
            var node = roots[t];
            while (node >= 0) { node = Step(nodes, features, node); }
            raw += leaves[~node];
        }

        var output = (float)(raw + _bias);
        return (float)(1.0 / (1.0 + Math.Exp((_slope * output) + _offset)));
    }

    // NaN compares false and goes right, as in ML.NET.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int Step(Node[] nodes, ReadOnlySpan<float> features, int node)
    {
        ref readonly var split = ref nodes[node];
        return features[split.Feature] <= split.Threshold ? split.Lte : split.Gt;
    }

    // Probe vectors for the load-time check, over a seeded mix of the values features take (0, 1, -1, small counts).
    // Every split's feature is set once to its threshold, once just below and once just above it (all thresholds, then
    // all below, then all above): each vector takes the next splits' edges in turn while their features are free in
    // it. Then vectors with five random splits' edges, up to `minimum` in all. The same vectors on every load.
    public IEnumerable<float[]> ProbeVectors(int minimum, int length)
    {
        var random = new Random(20261204);
        float[] common = [0, 1, -1, 2, 3, 5, 10, 0.5f];
        var edges = 3 * _nodes.Length;
        var next = 0;
        var used = new bool[length];
        for (var i = 0; i < minimum || next < edges; i++)
        {
            var vector = new float[length];
            for (var slot = 0; slot < length; slot++)
            {
                vector[slot] = common[random.Next(common.Length)];
            }

            if (next < edges)
            {
                Array.Clear(used);
                do
                {
                    var split = _nodes[next % _nodes.Length];
                    if (used[split.Feature])
                    {
                        break;
                    }

                    used[split.Feature] = true;
                    SetEdge(vector, split, next / _nodes.Length);
                }
                while (++next < edges);
            }
            else if (_nodes.Length > 0)
            {
                for (var k = 0; k < 5; k++)
                {
                    SetEdge(vector, _nodes[random.Next(_nodes.Length)], random.Next(3));
                }
            }

            yield return vector;
        }
    }

    private static void SetEdge(float[] vector, Node split, int side) => vector[split.Feature] = side switch
    {
        0 => split.Threshold,
        1 => MathF.BitDecrement(split.Threshold),
        _ => MathF.BitIncrement(split.Threshold),
    };
}
