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

/// <summary>A suite measured layer by layer, and on which rows.</summary>
public sealed record SuiteEvaluationResult(IReadOnlyList<SuiteLayerResult> Layers, MeasuredRows Rows);

/// <summary>
/// Evaluates each finished layer of a suite on a store with the pool it was trained with (features pruned at an earlier
/// layer left out, decoder rows as trained at that layer), its pooled features' activations computed for that store
/// (<see cref="SuiteCodes"/>): nmse, fvu, l0, the variance shares of tables / enriched codes / pooled features of earlier
/// layers / own latents, and the number of own latents that fired. Measured on the held-out rows of the suite's own store
/// by default, on every row of another store (<see cref="MeasuredRows"/>).
/// </summary>
public static class SuiteEvaluation
{
    /// <param name="onReconstruction">If given, receives each layer's measured rows and their reconstruction, [rows, d], known part included.</param>
    public static SuiteEvaluationResult Run(IKernels kernels, string root, ActivationStore store, string? split = null, long maxTokens = long.MaxValue,
        Action<string>? onStage = null, bool cache = true, Action<int, long[], float[]>? onReconstruction = null)
    {
        var manifest = SuiteFiles.RequireManifest(root);
        var config = manifest.Config;
        var sources = SuiteCodes.For(kernels, root, manifest, store, cache, name => onStage?.Invoke($"codes of {name} on this store"));
        var measured = MeasuredRows.Choose(store, manifest.Store?.Identity, split, config.Train.IncludeSpecialTokens, maxTokens);
        var results = new List<SuiteLayerResult>();
        foreach (int layer in manifest.CompletedLayers.Order())
        {
            onStage?.Invoke($"layer {layer}");
            var checkpoint = Checkpoint.Load(SuiteFiles.LayerDirectory(root, layer));
            checkpoint.RequireSameModel(store);
            var (plan, pool) = TrainedPool(sources, config, layer, checkpoint.Directory, store);
            var reconstruction = onReconstruction is null ? null : new float[(long)measured.Rows.Length * store.D];
            var eval = Evaluator.Run(kernels, checkpoint.Weights, checkpoint.SaeLens.K, store, layer, new EvalOptions
            {
                Known = checkpoint.Known(pool), Rows = measured.Rows, Reconstruction = reconstruction, Normalize = checkpoint.NormalizeTokens,
            });
            if (reconstruction is not null) onReconstruction!(layer, measured.Rows, reconstruction);
            double enriched = 0, features = 0;
            for (int g = 0; g < plan.Rows; g++)
                if (plan.Members[g].Source.Name == SuiteConfig.EnrichedSource) enriched += eval.PoolRowShares![g];
                else features += eval.PoolRowShares![g];
            results.Add(new SuiteLayerResult(layer, eval, enriched, features));
        }
        return new SuiteEvaluationResult(results, measured);
    }

    /// <summary>The pool a finished layer ran with: the sources born before it, their decoder rows as trained there (from the
    /// layer's checkpoint in <paramref name="directory"/>), their activations on <paramref name="store"/>.</summary>
    internal static (PoolPlan Plan, PoolInput? Pool) TrainedPool(IEnumerable<PoolSource> sources, SuiteConfig config, int layer, string directory,
        ActivationStore store)
    {
        var plan = new PoolPlan(sources.Where(s => SuiteTrainer.InPool(s, config, layer)).ToList(), layer);
        return (plan, plan.IsEmpty ? null : plan.Input(store.D, store.TokenCount, TrainedRows(directory, store.D), 0));
    }

    /// <summary>Looks up a pooled feature's decoder row as trained at the layer whose checkpoint this is.</summary>
    private static Func<PoolSource, int, float[]?> TrainedRows(string directory, int d)
    {
        using var file = SafeTensorsFile.Open(Path.Combine(directory, Checkpoint.TablesFile));
        var rows = file.Tensors.Keys.Where(n => n.StartsWith("pool.", StringComparison.Ordinal)).ToDictionary(n => n["pool.".Length..], file.ReadFloats);
        return (source, m) => rows[source.Name].AsSpan(m * d, d).ToArray();
    }
}
