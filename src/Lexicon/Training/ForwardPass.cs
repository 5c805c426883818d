using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>Encode, select, decode and compare, for a batch already in <see cref="StepBuffers.X"/>: shared by training
/// (which goes on to the backward pass) and evaluation. Leaves the residual, the scaled gradient and per-row squared
/// error and target norm in the buffers.</summary>
public static class ForwardPass
{
    public static void Run(DeviceSae sae, StepBuffers b, int rows, float gradScale)
    {
        var k = sae.Kernels;
        int d = sae.Shape.D, latents = sae.Shape.Latents;
        long n = (long)rows * d;
        k.Center(b.X.Slice(0, n), sae.BDec, b.Xc.Slice(0, n), rows, d);
        k.EncoderGemm(b.Xc.Slice(0, n), sae.WEnc, sae.BEnc, b.Pre.Slice(0, (long)rows * latents), rows, d, latents);
        k.TopK(b.Pre.Slice(0, (long)rows * latents), rows, latents, b.K, b.MainIndex(rows), b.MainValue(rows));
        k.SparseDecode(b.MainIndex(rows), b.MainValue(rows), rows, b.K, sae.WDec, sae.BDec, b.XHat.Slice(0, n), d);
        k.Residual(b.XHat.Slice(0, n), b.X.Slice(0, n), rows, d, gradScale, b.Residual.Slice(0, n), b.Grad.Slice(0, n),
            b.RowError.Slice(0, rows), b.RowTarget.Slice(0, rows));
    }
}
