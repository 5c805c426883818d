using Lexicon.Kernels;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>Checks of a top-k selection against the reference.</summary>
public static class Selections
{
    /// <summary>The selection is exactly the reference top-k of the fp32 pre it was made from (a near tie in fp32 may
    /// order differently from one in float64, so not the float64 GEMM's).</summary>
    public static void CheckTopKOf(float[] pre, int rows, int latents, int k, View<int> index, View<float> value, TestRandom r, string what)
    {
        var expectedIndex = new int[rows * k];
        var expectedValue = new double[rows * k];
        Ref.TopK.Run(Compare.ToDouble(pre), rows, latents, k, expectedIndex, expectedValue);
        Compare.Equal(expectedIndex, index.ToArray(), $"index ({what})", r);
        Compare.Close(expectedValue, value.ToArray(), $"value ({what})", r, 0);
    }
}
