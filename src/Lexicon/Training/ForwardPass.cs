using Lexicon.Kernels;
using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>Encode, select, decode and compare, for a batch already in <see cref="StepBuffers.X"/> (and, with tables,
/// its keys in <see cref="StepBuffers.Keys"/>; with a pool, its pooled activations): shared by training (which goes on
/// to the backward pass) and evaluation. Leaves the residual, the scaled gradient and per-row squared error and target
/// norm in the buffers. The known part (tables' rows + pooled features) is added to the reconstruction and, with
/// subtractKnown, also removed from the encoder's input.</summary>
public static class ForwardPass
{
    public static void Run(DeviceSae sae, StepBuffers b, int rows, float gradScale, DeviceTables? tables = null, bool subtractKnown = false,
        DevicePool? pool = null)
    {
        var k = sae.Kernels;
        int d = sae.Shape.D, latents = sae.Shape.Latents;
        long n = (long)rows * d;
        k.Center(b.X.Slice(0, n), sae.BDec, b.Xc.Slice(0, n), rows, d);
        if (tables is not null)
        {
            var slots = b.RowIndex!.Slice(0, (long)rows * tables.Layout.Slots);
            tables.ComputeRows(b.Keys!.All, rows, slots);
            tables.Kernels.TableGather(slots, rows, tables.Layout.Slots, tables.Values.All, d, b.Known!.Slice(0, n));
        }
        else if (pool is not null)
        {
            b.Known!.Clear();
        }
        if (pool is not null)
            pool.Kernels.PoolDecode(b.PoolIndex!.Slice(0, (long)rows * pool.Active), b.PoolValue!.Slice(0, (long)rows * pool.Active), rows, pool.Active,
                pool.Values.All, d, b.Known!.Slice(0, n));
        if (b.Known is not null && subtractKnown) k.AddScaled(b.Known.All, -1, b.Xc.All, n);
        k.EncodeTopK(b.Xc.Slice(0, n), sae.WEnc, sae.BEnc, b.Pre.Slice(0, (long)rows * latents), rows, d, latents, b.K, b.MainIndex(rows), b.MainValue(rows));
        k.SparseDecode(b.MainIndex(rows), b.MainValue(rows), rows, b.K, sae.WDec, sae.BDec, b.XHat.Slice(0, n), d);
        if (b.Known is not null) k.AddScaled(b.Known.All, 1, b.XHat.All, n);
        k.Residual(b.XHat.Slice(0, n), b.X.Slice(0, n), rows, d, gradScale, b.Residual.Slice(0, n), b.Grad.Slice(0, n),
            b.RowError.Slice(0, rows), b.RowTarget.Slice(0, rows));
    }
}
