namespace Lexicon.Kernels.Reference;

/// <summary>value[i] = value[i] ≥ floor ? value[i] : 0.</summary>
public static class ActivationFloor
{
    public static void Run(double[] value, long n, double floor)
    {
        for (long i = 0; i < n; i++)
            if (!(value[i] >= floor)) value[i] = 0;
    }
}
