using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>AuxK's selection: the top d/2 of a ReLU'd pre over a quarter of the latents (the dead ones); checked on a
/// sample of rows.</summary>
public sealed class MaskedTopK : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.MaskedTopK.Cost(w.Batch, w.Latents, w.D / 2);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, latents = c.W.Latents, k = c.W.D / 2;
        var pre = c.Relu((long)rows * latents);
        var mask = c.Upload(Enumerable.Range(0, latents).Select(_ => c.Rng.NextInt(4) == 0 ? 1 : 0).ToArray());
        var index = c.IntZeros((long)rows * k);
        var value = c.Zeros((long)rows * k);
        return new(() => c.K.MaskedTopK(pre, mask, rows, latents, k, index, value),
            check => TopK.CheckSelection(check, rows, latents, k, pre.Host, mask.Host, index, value));
    }
}
