using Lexicon.Data;
using Lexicon.Kernels;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Suite;

/// <summary>An SAE trained on one layer alone, with the suite's own latents, k, tables and schedule, but no pool.</summary>
public sealed record IndependentLayer(int Layer, ResolvedTrainConfig Config, SaeWeights Weights, TableWeights? Tables);

/// <summary>
/// The independent SAEs a suite is measured against (<c>eval --suite --compare-independent</c> and the matching baseline
/// of <c>trace --baseline matching</c>): each layer trained from scratch on the suite's store with the suite's training
/// template, so the only difference is the pool of known features and the tables carried from the layer before.
/// </summary>
public static class IndependentLayers
{
    /// <summary>The suite's training template at a layer; tables only where the suite pools them.</summary>
    public static ResolvedTrainConfig Config(SuiteConfig config, int layer, ActivationStore store) => config.LayerConfig(layer, store.D, store.TokenCount);

    /// <param name="progress">Receives the fraction of the layer's steps done.</param>
    public static IndependentLayer Train(IKernels kernels, ActivationStore store, SuiteConfig config, int layer, Action<double>? progress = null,
        CancellationToken cancel = default)
    {
        var train = Config(config, layer, store);
        using var trainer = new Trainer(kernels, store, train);
        trainer.Run(onProgress: p => progress?.Invoke((double)p.Step / p.TotalSteps), cancel: cancel);
        return new IndependentLayer(layer, train, trainer.Weights(), trainer.Tables());
    }
}
