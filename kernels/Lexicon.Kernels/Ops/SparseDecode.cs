namespace Lexicon.Kernels.Ops;

/// <summary>output[b] = bias + Σ_j value[b, j] · w[index[b, j]] (see <see cref="IKernels.SparseDecode"/>).</summary>
public static class SparseDecode
{
    /// <remarks>w is gathered by index and left whole; an empty bias stays empty (no bias).</remarks>
    public static void Check(ref View<int> index, ref View<float> value, int rows, int k, ref View<float> bias, ref View<float> output, int d)
    {
        long entries = Sizes.Matrix(rows, k, nameof(rows), nameof(k));
        index = index.Need(entries, nameof(index));
        value = value.Need(entries, nameof(value));
        if (!bias.IsEmpty) bias = bias.Need(d, nameof(bias));
        output = output.Need(Sizes.Matrix(rows, d, nameof(rows), nameof(d)), nameof(output));
    }

    /// <summary>2·B·k·d; the B·k gathered rows, the output and the selection.</summary>
    public static OpCost Cost(int rows, int k, int d) =>
        OpCost.Of(2.0 * rows * k * d, (double)rows * k * d + (double)rows * d + 2.0 * rows * k);
}
