namespace Lexicon.Kernels.Ops;

/// <summary>One Adam update of every element of param (see <see cref="IKernels.Adam"/>).</summary>
public static class Adam
{
    public static void Check(View<float> param, ref View<float> grad, ref View<float> moment1, ref View<float> moment2)
    {
        long n = param.Length;
        grad = grad.Need(n, nameof(grad));
        moment1 = moment1.Need(n, nameof(moment1));
        moment2 = moment2.Need(n, nameof(moment2));
    }

    /// <summary>~10 FLOPs an element; param and both moments read and written, grad read.</summary>
    public static OpCost Cost(long n) => OpCost.Of(10.0 * n, 7.0 * n);
}
