using Lexicon.Metrics;
using System.Text.Json.Nodes;
using Lexicon.Data;
using Lexicon.Kernels;
using Lexicon.Training;

namespace Lexicon.Suite;

/// <summary>One link of the baseline: how many live latents of two adjacent layers were paired, and how closely.</summary>
public sealed record MatchingLink(int From, int To, int LiveFrom, int LiveTo, int Matched, double MeanCosine)
{
    public JsonObject ToJson() => new()
    {
        ["from"] = From, ["to"] = To, ["live_from"] = LiveFrom, ["live_to"] = LiveTo, ["matched"] = Matched, ["mean_cosine"] = SuiteTrace.Finite(MeanCosine),
    };
}

/// <summary>
/// The post-hoc way to trace features, as a baseline for the suite: independent SAEs per layer (<see cref="IndependentLayers"/>),
/// the live latents of adjacent layers paired one-to-one by decoder cosine (<see cref="Hungarian"/>, maximising the summed
/// cosine; "feature flow", Laptev et al. 2025, with SAE Match's one-to-one assignment), a pair kept only at cosine ≥ the
/// threshold, and chains followed through the layers. A chain is born at a latent no latent of the layer before was
/// paired with, and dies at the first layer where it finds no partner: the same life a pooled feature has in the suite,
/// so <see cref="SuiteTrace.Recover"/> and <see cref="ChainPrecision"/> measure both alike.
/// </summary>
public static class MatchingBaseline
{
    public const double DefaultThreshold = 0.5;

    public sealed record Result(SuiteTrace Trace, IReadOnlyList<MatchingLink> Links);

    /// <summary>Trains the independent SAEs for <paramref name="layers"/> (in order) and chains their latents.</summary>
    public static Result Run(IKernels kernels, ActivationStore store, SuiteConfig config, int[] layers, double threshold,
        Action<int, double>? progress = null, CancellationToken cancel = default)
    {
        var decoders = new List<float[]>();
        var firings = new List<long[]>();
        var shares = new List<double[]>();
        foreach (int layer in layers)
        {
            cancel.ThrowIfCancellationRequested();
            var sae = IndependentLayers.Train(kernels, store, config, layer, f => progress?.Invoke(layer, f), cancel);
            var codes = CodeExtractor.Run(kernels, sae.Weights, sae.Config.K, store, layer,
                new KnownWeights(sae.Tables, null, sae.Config.SubtractTables), sae.Config.NormalizeTokens);
            decoders.Add(sae.Weights.WDec);
            firings.Add(SuiteTrace.Firings(codes.Index, codes.Value, sae.Config.Latents));
            shares.Add(codes.LatentShares);
        }
        return Chain(layers, decoders, firings, shares, store.D, threshold, config.Data);
    }

    /// <summary>Pairs adjacent layers' live latents and follows the pairs into chains (decoders [latents, d] per layer).</summary>
    public static Result Chain(int[] layers, IReadOnlyList<float[]> decoders, IReadOnlyList<long[]> firings, IReadOnlyList<double[]> shares,
        int d, double threshold, string? data)
    {
        int n = layers.Length;
        // next[i][m]: the latent of layer i+1 paired with latent m of layer i, or −1; paired[i+1] marks those that have a partner before.
        var next = new int[n][];
        var paired = new bool[n][];
        var links = new List<MatchingLink>();
        for (int i = 0; i < n; i++) paired[i] = new bool[firings[i].Length];
        for (int i = 0; i + 1 < n; i++)
        {
            next[i] = Enumerable.Repeat(-1, firings[i].Length).ToArray();
            var from = Live(firings[i]);
            var to = Live(firings[i + 1]);
            var pairs = Pair(decoders[i], from, decoders[i + 1], to, d);
            double sum = 0;
            int kept = 0;
            foreach (var (a, b, cosine) in pairs.Where(p => p.Cosine >= threshold))
            {
                next[i][a] = b;
                paired[i + 1][b] = true;
                sum += cosine;
                kept++;
            }
            links.Add(new MatchingLink(layers[i], layers[i + 1], from.Length, to.Length, kept, kept > 0 ? sum / kept : double.NaN));
        }

        var traces = new List<FeatureTrace>();
        for (int i = 0; i < n; i++)
            foreach (int m in Live(firings[i]).Where(m => !paired[i][m]))
                traces.Add(Follow(layers, decoders, shares, next, i, m, firings[i][m], d));
        return new Result(SuiteTrace.Of(traces, layers, data), links);
    }

    private static FeatureTrace Follow(int[] layers, IReadOnlyList<float[]> decoders, IReadOnlyList<double[]> shares, int[][] next,
        int start, int latent, long firings, int d)
    {
        var points = new List<TracePoint>();
        var directions = new Dictionary<int, float[]>();
        float[]? birth = null, previous = null;
        int i = start, m = latent;
        while (true)
        {
            var row = decoders[i].AsSpan(m * d, d).ToArray();
            birth ??= row;
            points.Add(new TracePoint(layers[i], Vectors.Norm(row), Vectors.Cosine(row, birth), previous is null ? null : Vectors.Cosine(row, previous), shares[i][m], m));
            directions[layers[i]] = row;
            previous = row;
            if (i + 1 >= layers.Length || next[i][m] < 0) break;
            m = next[i][m];
            i++;
        }
        int? death = i + 1 < layers.Length ? layers[i + 1] : null;
        var trace = new FeatureTrace(SuiteConfig.SourceName(layers[start]), latent, layers[start], death, firings, points);
        foreach (var (layer, row) in directions) trace.Directions[layer] = row;
        return trace;
    }

    /// <summary>The one-to-one pairing of two sets of decoder rows with the largest summed cosine (Hungarian on −cosine;
    /// the smaller set is the rows).</summary>
    private static List<(int From, int To, double Cosine)> Pair(float[] decA, int[] a, float[] decB, int[] b, int d)
    {
        bool flip = a.Length > b.Length;
        var (rows, columns, decRows, decColumns) = flip ? (b, a, decB, decA) : (a, b, decA, decB);
        var cosine = new double[(long)rows.Length * columns.Length];
        Parallel.For(0, rows.Length, r =>
        {
            var x = decRows.AsSpan(rows[r] * d, d);
            for (int c = 0; c < columns.Length; c++)
                cosine[(long)r * columns.Length + c] = Vectors.Cosine(x, decColumns.AsSpan(columns[c] * d, d));
        });
        var result = new List<(int, int, double)>();
        if (rows.Length == 0) return result;
        var assignment = Hungarian.Solve(Array.ConvertAll(cosine, c => -c), rows.Length, columns.Length);
        for (int r = 0; r < rows.Length; r++)
        {
            double c = cosine[(long)r * columns.Length + assignment[r]];
            result.Add(flip ? (columns[assignment[r]], rows[r], c) : (rows[r], columns[assignment[r]], c));
        }
        return result;
    }

    private static int[] Live(long[] firings) => Enumerable.Range(0, firings.Length).Where(m => firings[m] > 0).ToArray();
}
