using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>Encode, select, decode and compare, for a batch already in <see cref="StepBuffers.X"/> (and the known
/// part's inputs uploaded): shared by training (which goes on to the backward pass) and evaluation. Leaves the
/// residual, the scaled gradient and per-row squared error and target norm in the buffers. The known part is added to
/// the reconstruction and, with <see cref="KnownPart.Subtract"/>, also removed from the encoder's input.</summary>
public static class ForwardPass
{
    public static BatchViews Run(DeviceSae sae, StepBuffers buffers, KnownPart known, int rows, float gradScale, IPartition? partition = null)
    {
        var k = sae.Kernels;
        var v = buffers.For(rows);
        int d = sae.Shape.D;
        k.Center(v.X, sae.BDec, v.Xc, rows, d);
        known.Forward(k, v);
        partition ??= WholeBatch.Instance;
        partition.EncodeTopK(sae, v);
        partition.Decode(k, v.MainIndex, v.MainValue, rows, v.K, sae.WDec, sae.BDec, v.XHat, d);
        known.AddTo(k, v.XHat, v.N);
        k.Residual(v.XHat, v.X, rows, d, gradScale, v.Residual, v.Grad, v.RowError, v.RowTarget);
        return v;
    }
}
