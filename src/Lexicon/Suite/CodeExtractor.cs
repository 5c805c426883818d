using Lexicon.Data;
using Lexicon.Kernels;
using Lexicon.Metrics;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Suite;

/// <summary>A trained layer's own codes for every token, and each own latent's share of the layer's variance.</summary>
public sealed record LayerCodes(int[] Index, float[] Value, double[] LatentShares);

/// <summary>
/// Runs a trained layer (own SAE, tables, pool) over every row of the store, in order, and keeps each token's top-k
/// code: the activations its latents will carry as pooled features in every later layer, computed once.
/// </summary>
public static class CodeExtractor
{
    public static LayerCodes Run(IKernels kernels, SaeWeights weights, int k, ActivationStore store, int layer,
        KnownWeights known, bool normalize = false)
    {
        var index = new int[store.TokenCount * k];
        var value = new float[store.TokenCount * k];
        var eval = Evaluator.Run(kernels, weights, k, store, layer,
            new EvalOptions { Known = known, CodeIndex = index, CodeValue = value, Normalize = normalize, KnownShares = false });
        return new LayerCodes(index, value, eval.LatentShares);
    }
}
