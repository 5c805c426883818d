namespace Lexicon.Kernels.Ops;

/// <summary>residual = predicted − target, its scaled gradient and per-row norms (see <see cref="IKernels.Residual"/>).</summary>
public static class Residual
{
    /// <remarks>An empty rowTarget stays empty (not computed).</remarks>
    public static void Check(ref View<float> predicted, ref View<float> target, int rows, int d,
        ref View<float> residual, ref View<float> grad, ref View<float> rowError, ref View<float> rowTarget)
    {
        long n = Sizes.Matrix(rows, d, nameof(rows), nameof(d));
        predicted = predicted.Need(n, nameof(predicted));
        target = target.Need(n, nameof(target));
        residual = residual.Need(n, nameof(residual));
        grad = grad.Need(n, nameof(grad));
        rowError = rowError.Need(rows, nameof(rowError));
        if (!rowTarget.IsEmpty) rowTarget = rowTarget.Need(rows, nameof(rowTarget));
    }

    /// <summary>6 FLOPs an element; two matrices read, two written.</summary>
    public static OpCost Cost(int rows, int d) => OpCost.Of(6.0 * rows * d, 4.0 * rows * d);
}
