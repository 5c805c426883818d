namespace Lexicon.Kernels.Ops;

/// <summary>output[b] += Σ_j value[b, j] · pool[index[b, j]] (see <see cref="IKernels.PoolDecode"/>).</summary>
public static class PoolDecode
{
    /// <remarks>The pool is gathered by index and left whole.</remarks>
    public static void Check(ref View<int> index, ref View<float> value, int rows, int active, int d, ref View<float> output)
    {
        long entries = Sizes.Matrix(rows, active, nameof(rows), nameof(active));
        index = index.Need(entries, nameof(index));
        value = value.Need(entries, nameof(value));
        output = output.Need(Sizes.Matrix(rows, d, nameof(rows), nameof(d)), nameof(output));
    }

    /// <summary>2·B·active·d; the gathered rows, the output read and written, the selection.</summary>
    public static OpCost Cost(int rows, int active, int d) =>
        OpCost.Of(2.0 * rows * active * d, (double)rows * active * d + 2.0 * rows * d + 2.0 * rows * active);
}
