namespace Lexicon.Tests.Kernels;

/// <summary>Assertions of fast results against the float64 reference.</summary>
public static class Compare
{
    /// <summary>fp32 kernels against the float64 reference: relative error ≤ 1e-4, measured against the largest magnitude
    /// of the reference output (sums that cancel have no meaningful element-wise relative error).</summary>
    public const double Fp32Tolerance = 1e-4;

    public static double[] ToDouble(float[] x) => Array.ConvertAll(x, v => (double)v);

    public static void Close(double[] expected, float[] actual, string what, TestRandom random, double tolerance = Fp32Tolerance)
    {
        Assert.True(expected.Length <= actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        double scale = expected.Length == 0 ? 1 : Math.Max(expected.Max(Math.Abs), 1e-30);
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]) / scale;
            if (!(error <= tolerance))
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (relative error {error:E2} > {tolerance:E0}) {random.Replay}");
        }
    }

    public static void Equal(int[] expected, int[] actual, string what, TestRandom random)
    {
        for (int i = 0; i < expected.Length; i++)
            if (expected[i] != actual[i])
                Assert.Fail($"{what}[{i}]: expected {expected[i]}, got {actual[i]} {random.Replay}");
    }
}
