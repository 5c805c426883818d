using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Kernels;
using Lexicon.Metrics;

namespace Lexicon.Suite;

/// <summary>A feature that fired on a token: its id, the same at every layer (the source it was born in and its latent
/// there, e.g. "L02:17" for latent 17 of layer 2's SAE, "enriched:5"), and its activation.</summary>
public sealed record FiredFeature(string Id, float Value);

/// <summary>What fired on one token at one layer: the layer's own latents, and the pooled features of earlier layers.</summary>
public sealed record LayerReadout(int Layer, IReadOnlyList<FiredFeature> Own, IReadOnlyList<FiredFeature> Pooled);

/// <summary>
/// Per token of a store and per layer, the features that fire: an SAE's own latents, or for a suite each layer's own
/// latents and the pooled features it holds (their activations on this store, <see cref="SuiteCodes"/>). What
/// <c>lexicon encode</c> prints for a sentence; the codes are exactly those <c>eval</c> computes on the same rows.
/// </summary>
public static class FeatureReadout
{
    public static string Id(string source, int latent) => $"{source}:{latent}";

    /// <returns>Per store row, one readout (the SAE's layer).</returns>
    public static List<LayerReadout>[] OfSae(IKernels kernels, LoadedCheckpoint checkpoint, ActivationStore store, int layer)
    {
        checkpoint.RequireSameModel(store);
        int k = checkpoint.SaeLens.K;
        var index = new int[store.TokenCount * k];
        var value = new float[store.TokenCount * k];
        Evaluator.Run(kernels, checkpoint.Weights, k, store, layer,
            new EvalOptions { Known = checkpoint.Known(), CodeIndex = index, CodeValue = value, Normalize = checkpoint.NormalizeTokens });
        var readout = Empty(store.TokenCount);
        for (long t = 0; t < store.TokenCount; t++)
            readout[t].Add(new LayerReadout(layer, Fired(SuiteConfig.SourceName(layer), index, value, k, t, _ => true), []));
        return readout;
    }

    /// <returns>Per store row, one readout per finished layer of the suite, in layer order.</returns>
    public static List<LayerReadout>[] OfSuite(IKernels kernels, string root, ActivationStore store)
    {
        var manifest = SuiteFiles.RequireManifest(root);
        var sources = SuiteCodes.For(kernels, root, manifest, store, cache: false);
        var readout = Empty(store.TokenCount);
        foreach (int layer in manifest.CompletedLayers.Order())
        {
            var own = sources.Single(s => s.Name == SuiteConfig.SourceName(layer));
            var plan = new PoolPlan(sources.Where(s => SuiteTrainer.InPool(s, manifest.Config, layer)).ToList(), layer);
            for (long t = 0; t < store.TokenCount; t++)
            {
                var features = plan.Sources.SelectMany(s => Fired(s.Name, s.CodeIndex, s.CodeValue, s.K, t, m => plan.RowOf(s, m) >= 0));
                readout[t].Add(new LayerReadout(layer, Fired(own.Name, own.CodeIndex, own.CodeValue, own.K, t, _ => true), [.. features]));
            }
        }
        return readout;
    }

    private static List<LayerReadout>[] Empty(long tokens) => [.. Enumerable.Range(0, (int)tokens).Select(_ => new List<LayerReadout>())];

    /// <summary>A token's code entries that fired (value above 0) and pass the filter, strongest first.</summary>
    private static List<FiredFeature> Fired(string source, int[] index, float[] value, int k, long token, Func<int, bool> include)
    {
        var fired = new List<FiredFeature>();
        for (int j = 0; j < k; j++)
        {
            long e = token * k + j;
            if (index[e] >= 0 && value[e] > 0 && include(index[e])) fired.Add(new FiredFeature(Id(source, index[e]), value[e]));
        }
        fired.Sort((a, b) => b.Value.CompareTo(a.Value));
        return fired;
    }
}
