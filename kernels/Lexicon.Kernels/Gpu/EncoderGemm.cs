using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// pre = ReLU(xc · W_encᵀ + b_enc), a tiled SGEMM. A group of sx × sy threads owns a tile of 4·sy tokens × 4·sx
/// latents (64 × 64 with 16 × 16 threads); slices of <see cref="TileK"/> model dimensions of xc and W_enc are staged in
/// shared memory, stored k-major, and each thread accumulates a 4 × 4 register tile whose rows and columns are strided
/// by sy and sx, so that a warp reads consecutive latents (no bank conflicts) and writes consecutive outputs
/// (coalesced). Bias and ReLU are applied in the epilogue; tiles past the edges are zero-padded on load and clipped
/// on store.
/// </summary>
internal sealed class EncoderGemm(Accelerator accelerator, Launch launch)
{
    private const int TileK = 16;

    /// <summary>The largest tile side: 4 × the largest group side (16 of 256 threads).</summary>
    private const int MaxTile = 64;

    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int> _kernel =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int>(Kernel);

    public void Run(ArrayView<float> xc, ArrayView<float> wEnc, ArrayView<float> bEnc, ArrayView<float> pre, int rows, int d, int latents)
    {
        // The most square thread layout of the group: 16 × 16 for 256 threads, 4 × 4 for the CPU emulator's 16.
        int sx = 1 << ((System.Numerics.BitOperations.Log2((uint)launch.GroupSize) + 1) / 2), sy = launch.GroupSize / sx;
        var grid = new Index2D((latents + 4 * sx - 1) / (4 * sx), (rows + 4 * sy - 1) / (4 * sy));
        _kernel(new KernelConfig(grid, new Index2D(sx, sy)), xc, wEnc, bEnc, pre, rows, d, latents);
    }

    private static void Kernel(ArrayView<float> xc, ArrayView<float> wEnc, ArrayView<float> bEnc, ArrayView<float> pre,
        int rows, int d, int latents)
    {
        int tx = Group.IdxX, ty = Group.IdxY, sx = Group.DimX, sy = Group.DimY;
        int tileRows = 4 * sy, tileLatents = 4 * sx;
        int row0 = Grid.IdxY * tileRows, latent0 = Grid.IdxX * tileLatents;
        int thread = ty * sx + tx, threads = sx * sy;
        // a[kk·(tileRows + 1) + r] = xc[row0 + r, k0 + kk]; the +1 spreads the transposing stores over the banks.
        var a = SharedMemory.Allocate<float>(TileK * (MaxTile + 1));
        var w = SharedMemory.Allocate<float>(TileK * (MaxTile + 1));
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int k0 = 0; k0 < d; k0 += TileK)
        {
            LoadTile(xc, a, row0, rows, k0, d, tileRows, thread, threads);
            LoadTile(wEnc, w, latent0, latents, k0, d, tileLatents, thread, threads);
            Group.Barrier();
            for (int kk = 0; kk < TileK; kk++)
            {
                int ao = kk * (tileRows + 1) + ty, wo = kk * (tileLatents + 1) + tx;
                float a0 = a[ao], a1 = a[ao + sy], a2 = a[ao + 2 * sy], a3 = a[ao + 3 * sy];
                float w0 = w[wo], w1 = w[wo + sx], w2 = w[wo + 2 * sx], w3 = w[wo + 3 * sx];
                c00 += a0 * w0; c01 += a0 * w1; c02 += a0 * w2; c03 += a0 * w3;
                c10 += a1 * w0; c11 += a1 * w1; c12 += a1 * w2; c13 += a1 * w3;
                c20 += a2 * w0; c21 += a2 * w1; c22 += a2 * w2; c23 += a2 * w3;
                c30 += a3 * w0; c31 += a3 * w1; c32 += a3 * w2; c33 += a3 * w3;
            }
            Group.Barrier();
        }
        int latent = latent0 + tx;
        StoreRow(pre, bEnc, row0 + ty, rows, latent, sx, latents, c00, c01, c02, c03);
        StoreRow(pre, bEnc, row0 + ty + sy, rows, latent, sx, latents, c10, c11, c12, c13);
        StoreRow(pre, bEnc, row0 + ty + 2 * sy, rows, latent, sx, latents, c20, c21, c22, c23);
        StoreRow(pre, bEnc, row0 + ty + 3 * sy, rows, latent, sx, latents, c30, c31, c32, c33);
    }

    /// <summary>tile[kk·(size + 1) + r] = source[first + r, k0 + kk], zero outside the matrix. Consecutive threads read
    /// consecutive k, so a warp's loads are runs of <see cref="TileK"/> contiguous floats.</summary>
    private static void LoadTile(ArrayView<float> source, ArrayView<float> tile, int first, int count, int k0, int d, int size,
        int thread, int threads)
    {
        for (int e = thread; e < size * TileK; e += threads)
        {
            int r = e / TileK, kk = e % TileK, k = k0 + kk;
            tile[kk * (size + 1) + r] = first + r < count && k < d ? source[(long)(first + r) * d + k] : 0f;
        }
    }

    private static void StoreRow(ArrayView<float> pre, ArrayView<float> bEnc, int row, int rows, int latent, int step, int latents,
        float v0, float v1, float v2, float v3)
    {
        if (row >= rows) return;
        long offset = (long)row * latents;
        Store(pre, bEnc, offset, latent, latents, v0);
        Store(pre, bEnc, offset, latent + step, latents, v1);
        Store(pre, bEnc, offset, latent + 2 * step, latents, v2);
        Store(pre, bEnc, offset, latent + 3 * step, latents, v3);
    }

    private static void Store(ArrayView<float> pre, ArrayView<float> bEnc, long rowOffset, int latent, int latents, float sum)
    {
        if (latent < latents) pre[rowOffset + latent] = XMath.Max(sum + bEnc[latent], 0f);
    }
}
