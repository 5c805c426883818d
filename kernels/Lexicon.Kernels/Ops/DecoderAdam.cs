namespace Lexicon.Kernels.Ops;

/// <summary>The decoder's update: RemoveParallelGrad, Adam and NormalizeRows on its rows (see
/// <see cref="IKernels.DecoderAdam"/>).</summary>
public static class DecoderAdam
{
    public static void Check(ref View<float> w, ref View<float> grad, ref View<float> moment1, ref View<float> moment2, int rowCount, int d)
    {
        long n = Sizes.Matrix(rowCount, d, nameof(rowCount), nameof(d));
        w = w.Need(n, nameof(w));
        grad = grad.Need(n, nameof(grad));
        moment1 = moment1.Need(n, nameof(moment1));
        moment2 = moment2.Need(n, nameof(moment2));
    }

    /// <summary>The three's FLOPs; in one pass, w, grad and both moments each read and written once.</summary>
    public static OpCost Cost(int rowCount, int d)
    {
        double flops = RemoveParallelGrad.Cost(rowCount, d).Flops + Adam.Cost((long)rowCount * d).Flops + NormalizeRows.Cost(rowCount, d).Flops;
        return OpCost.Of(flops, 8.0 * rowCount * d);
    }
}
