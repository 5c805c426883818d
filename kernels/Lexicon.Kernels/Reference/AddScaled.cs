namespace Lexicon.Kernels.Reference;

/// <summary>y += alpha·x.</summary>
public static class AddScaled
{
    public static void Run(double[] x, double alpha, double[] y, long n)
    {
        for (long i = 0; i < n; i++) y[i] += alpha * x[i];
    }
}
