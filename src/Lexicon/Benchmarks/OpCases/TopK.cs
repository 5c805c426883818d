using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The top-k of a ReLU'd pre (about half zeros); checked on a sample of rows (the reference sorts each row).</summary>
public sealed class TopK : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.TopK.Cost(w.Batch, w.Latents, w.K);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, latents = c.W.Latents, k = c.W.K;
        var pre = c.Relu((long)rows * latents);
        var index = c.IntZeros((long)rows * k);
        var value = c.Zeros((long)rows * k);
        return new(() => c.K.TopK(pre, rows, latents, k, index, value), check => CheckSelection(check, rows, latents, k, pre.Host, null, index, value));
    }

    /// <summary>The selection exactly the reference top-k (over the latents of mask ≠ 0, with a mask) of the fp32 pre it
    /// was made from, on a sample of rows.</summary>
    internal static void CheckSelection(OpCheck check, int rows, int latents, int k, float[] pre, int[]? mask, Operand<int> index, Operand<float> value)
    {
        var sample = OpCheck.SampleRows(rows, 30.0 * latents * Math.Log2(latents));
        var expectedIndex = new int[sample.Length * k];
        var expectedValue = new double[expectedIndex.Length];
        var sampled = Array.ConvertAll(OpCheck.Rows(pre, sample, latents), v => (double)v);
        if (mask is null) Kernels.Reference.TopK.Run(sampled, sample.Length, latents, k, expectedIndex, expectedValue);
        else Kernels.Reference.MaskedTopK.Run(sampled, mask, sample.Length, latents, k, expectedIndex, expectedValue);
        check.Equal($"index ({sample.Length} of {rows} rows)", expectedIndex, OpCheck.Rows(index.Read(), sample, k));
        check.Close($"value ({sample.Length} of {rows} rows)", expectedValue, OpCheck.Rows(value.Read(), sample, k), 0);
    }
}
