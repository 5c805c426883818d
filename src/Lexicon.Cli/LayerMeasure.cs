using System.Text.Json.Nodes;
using Lexicon.Data;
using Lexicon.Kernels;
using Lexicon.Metrics;
using Lexicon.Training;
using Lexicon.Model;
using Lexicon.Models;
using Lexicon.Suite;

namespace Lexicon.Cli;

/// <summary>
/// One model at one layer, as the report gives it: held-out FVU, NMSE and (MiniLM stores) embedding_recovered, and beside
/// them, labelled, the same on its first training rows (<see cref="InSampleRows"/>).
/// </summary>
public sealed record LayerMeasure(EvalResult HeldOut, EvalResult InSample, SplicedResult? Spliced)
{
    public JsonObject ToJson() => new()
    {
        ["fvu"] = HeldOut.Fvu,
        ["nmse"] = HeldOut.Nmse,
        ["embedding_recovered"] = Spliced is { } s && double.IsFinite(s.EmbeddingRecovered) ? s.EmbeddingRecovered : null,
        ["l0"] = HeldOut.L0,
        ["dead_fraction"] = HeldOut.DeadFraction,
        ["live_latents"] = HeldOut.LiveLatents,
        ["in_sample_fvu"] = InSample.Fvu,
        ["in_sample_nmse"] = InSample.Nmse,
        ["spliced"] = Spliced?.ToJson(),
    };

    /// <summary>Measures a single-layer SAE (with its tables) on the held-out rows and on as many training rows.</summary>
    public static LayerMeasure Of(IKernels kernels, ActivationStore store, SaeWeights weights, int k, KnownWeights known,
        int layer, bool includeSpecialTokens, int splicedSequences, bool normalize)
    {
        var heldOut = StoreRows.Of(store, Split.HeldOut, includeSpecialTokens);
        var reconstruction = Spliceable(store, splicedSequences) ? new float[(long)heldOut.Length * store.D] : null;
        var held = Evaluator.Run(kernels, weights, k, store, layer,
            new EvalOptions { Known = known, Rows = heldOut, Reconstruction = reconstruction, Normalize = normalize });
        var train = StoreRows.Of(store, Split.Train, includeSpecialTokens, InSampleRows(heldOut.Length));
        var inSample = Evaluator.Run(kernels, weights, k, store, layer, new EvalOptions { Known = known, Rows = train, Normalize = normalize });
        var spliced = reconstruction is null ? null : StoreSplicing.Run(store, layer, heldOut, reconstruction, splicedSequences);
        return new LayerMeasure(held, inSample, spliced);
    }

    /// <summary>Measures every finished layer of a suite the same way; the suite's own results (variance shares) are those held out.</summary>
    public static List<(SuiteLayerResult Layer, LayerMeasure Measure)> OfSuite(IKernels kernels, string root, ActivationStore store, int splicedSequences)
    {
        var spliced = new Dictionary<int, SplicedResult>();
        var held = SuiteEvaluation.Run(kernels, root, store, Split.HeldOut.Name(), onReconstruction: !Spliceable(store, splicedSequences) ? null
            : (layer, rows, reconstruction) => spliced[layer] = StoreSplicing.Run(store, layer, rows, reconstruction, splicedSequences));
        var inSample = SuiteEvaluation.Run(kernels, root, store, Split.Train.Name(), InSampleRows(held.Rows.Rows.Length));
        return [.. held.Layers.Select((l, i) => (l, new LayerMeasure(l.Eval, inSample.Layers[i].Eval, spliced.GetValueOrDefault(l.Layer))))];
    }

    /// <summary>The in-sample side column reads the first training rows, as many as are held out but at most 25k: it is
    /// there for comparison, and the held-out numbers are the ones that count.</summary>
    private static int InSampleRows(int heldOut) => Math.Min(heldOut, 25_000);

    private static bool Spliceable(ActivationStore store, int splicedSequences) =>
        splicedSequences > 0 && store.Manifest.Model == MiniLm.ModelName && store.D == MiniLm.DModel;
}
