namespace Lexicon.Kernels.Ops;

/// <summary>grad[m] −= (grad[m] · w[m]) w[m] (see <see cref="IKernels.RemoveParallelGrad"/>).</summary>
public static class RemoveParallelGrad
{
    public static void Check(ref View<float> w, ref View<float> grad, int rowCount, int d)
    {
        long n = Sizes.Matrix(rowCount, d, nameof(rowCount), nameof(d));
        w = w.Need(n, nameof(w));
        grad = grad.Need(n, nameof(grad));
    }

    /// <summary>A dot product and an axpy per row; w read, grad read and written.</summary>
    public static OpCost Cost(int rowCount, int d) => OpCost.Of(4.0 * rowCount * d, 3.0 * rowCount * d);
}
