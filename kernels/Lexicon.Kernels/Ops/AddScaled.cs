namespace Lexicon.Kernels.Ops;

/// <summary>y += alpha·x (see <see cref="IKernels.AddScaled"/>).</summary>
public static class AddScaled
{
    public static void Check(ref View<float> x, ref View<float> y, long n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        x = x.Need(n, nameof(x));
        y = y.Need(n, nameof(y));
    }

    /// <summary>A multiply-add an element; x read, y read and written.</summary>
    public static OpCost Cost(long n) => OpCost.Of(2.0 * n, 3.0 * n);
}
