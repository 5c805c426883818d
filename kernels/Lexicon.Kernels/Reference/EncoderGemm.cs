namespace Lexicon.Kernels.Reference;

/// <summary>pre[b, m] = ReLU(xc[b] · wEnc[m] + bEnc[m]), at a precision: its rounding of xc and wEnc
/// (<see cref="Precisions.Round"/>; the inputs are fp32 values), then exact sums.</summary>
public static class EncoderGemm
{
    public static void Run(double[] xc, double[] wEnc, double[] bEnc, double[] pre, int rows, int d, int latents, Precision precision = Precision.Fp32)
    {
        var x = Rounded(xc, precision);
        var w = Rounded(wEnc, precision);
        for (int b = 0; b < rows; b++)
            for (int m = 0; m < latents; m++)
            {
                double sum = bEnc[m];
                for (int i = 0; i < d; i++) sum += x[b * d + i] * w[m * d + i];
                pre[b * latents + m] = Math.Max(sum, 0);
            }
    }

    private static double[] Rounded(double[] values, Precision precision) =>
        precision == Precision.Fp32 ? values : Array.ConvertAll(values, v => (double)Precisions.Round(precision, (float)v));
}
