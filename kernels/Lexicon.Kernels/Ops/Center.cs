namespace Lexicon.Kernels.Ops;

/// <summary>xc[b] = x[b] − bDec (see <see cref="IKernels.Center"/>).</summary>
public static class Center
{
    public static void Check(ref View<float> x, ref View<float> bDec, ref View<float> xc, int rows, int d)
    {
        long n = Sizes.Matrix(rows, d, nameof(rows), nameof(d));
        x = x.Need(n, nameof(x));
        bDec = bDec.Need(d, nameof(bDec));
        xc = xc.Need(n, nameof(xc));
    }

    public static OpCost Cost(int rows, int d) => OpCost.Of((double)rows * d, 2.0 * rows * d + d);
}
