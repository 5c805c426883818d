using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Data.Formats;
using Lexicon.Kernels;
using Lexicon.Metrics;
using Lexicon.Training;

namespace Lexicon.Suite;

/// <summary>One layer of a suite, measured: reconstruction, sparsity, the variance shares of its parts, live latents.</summary>
public sealed record SuiteLayerResult(int Layer, EvalResult Eval, double EnrichedShare, double FeatureShare)
{
    public JsonObject ToJson() => new()
    {
        ["layer"] = Layer,
        ["nmse"] = Eval.Nmse,
        ["fvu"] = Eval.Fvu,
        ["l0"] = Eval.L0,
        ["variance_share"] = new JsonObject
        {
            ["tables"] = Eval.TableShare,
            ["enriched"] = EnrichedShare,
            ["pool"] = FeatureShare,
            ["own"] = Eval.OwnShare,
        },
        ["live_latents"] = Eval.LiveLatents,
        ["signal_latents"] = Eval.SignalLatents,
    };
}

/// <summary>
/// Evaluates each finished layer of a suite on its store with the pool it was trained with (features pruned at an
/// earlier layer left out, decoder rows as trained at that layer): nmse, fvu, l0, the variance shares of tables /
/// enriched codes / pooled features of earlier layers / own latents, and the number of own latents that fired.
/// </summary>
public static class SuiteEvaluation
{
    public static List<SuiteLayerResult> Run(IKernels kernels, string root, ActivationStore store, long maxTokens = long.MaxValue,
        Action<int>? onLayer = null)
    {
        var manifest = SuiteFiles.RequireManifest(root);
        var config = manifest.Config;
        var sources = manifest.Sources.Select(record => SuiteFiles.ReadCodes(root, record)).ToList();
        if (sources.Count > 0 && sources[0].CodeIndex.Length / sources[0].K != store.TokenCount)
            throw new BadInputException(store.Directory, "the suite was trained on a store with another number of tokens");
        var results = new List<SuiteLayerResult>();
        foreach (int layer in manifest.CompletedLayers.Order())
        {
            onLayer?.Invoke(layer);
            var checkpoint = Checkpoint.Load(SuiteFiles.LayerDirectory(root, layer));
            var plan = new PoolPlan(sources.Where(s => SuiteTrainer.InPool(s, config, layer)).ToList(), layer);
            var pool = plan.IsEmpty ? null : plan.Input(store.D, store.TokenCount, TrainedRows(checkpoint.Directory, store.D), 0);
            var eval = Evaluator.Run(kernels, checkpoint.Weights, checkpoint.SaeLens.K, store, layer, checkpoint.Tables,
                checkpoint.Config?.SubtractTables ?? false, maxTokens, pool: pool);
            double enriched = 0, features = 0;
            for (int g = 0; g < plan.Rows; g++)
                if (plan.Members[g].Source.Name == SuiteConfig.EnrichedSource) enriched += eval.PoolRowShares![g];
                else features += eval.PoolRowShares![g];
            results.Add(new SuiteLayerResult(layer, eval, enriched, features));
        }
        return results;
    }

    /// <summary>Looks up a pooled feature's decoder row as trained at the layer whose checkpoint this is.</summary>
    private static Func<PoolSource, int, float[]?> TrainedRows(string directory, int d)
    {
        using var file = SafeTensorsFile.Open(Path.Combine(directory, Checkpoint.TablesFile));
        var rows = file.Tensors.Keys.Where(n => n.StartsWith("pool.", StringComparison.Ordinal)).ToDictionary(n => n["pool.".Length..], file.ReadFloats);
        return (source, m) => rows[source.Name].AsSpan(m * d, d).ToArray();
    }
}
