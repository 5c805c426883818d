using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// pre = ReLU(xc · W_encᵀ + b_enc), a packed-panel SGEMM. W_enc is packed into panels of 32 latents laid out
/// [d][32], the input into micro-panels of 6 tokens laid out [d][6]; a 6×32 register tile (12 Vector512
/// accumulators) runs over the full d, then bias and ReLU are applied in the epilogue and the tile is stored once.
/// Work items are (token range × block of panels), the block sized to stay in L2 while tokens stream past it.
/// </summary>
public static unsafe class EncoderGemm
{
    public const int TileRows = 6;
    public const int TileLatents = 32;
    private const int L2BlockBytes = 512 * 1024;

    /// <summary>Packed panels plus the bias padded to whole panels (so the epilogue never reads past b_enc).</summary>
    public static long PackedWeightLength(int d, int latents) => (long)Panels(latents) * TileLatents * (d + 1);

    public static long PackedInputLength(int rows, int d) => (long)MicroPanels(rows) * TileRows * d;

    public static void Run(float* xc, float* wEnc, float* bEnc, float* pre, int rows, int d, int latents,
        float* packedWeight, float* packedInput)
    {
        PackWeights(wEnc, bEnc, packedWeight, d, latents);
        PackInput(xc, packedInput, rows, d);
        Multiply(packedInput, packedWeight, pre, rows, d, latents);
    }

    private static int Panels(int latents) => (latents + TileLatents - 1) / TileLatents;

    private static int MicroPanels(int rows) => (rows + TileRows - 1) / TileRows;

    /// <summary>packed[p][i][c] = w[32p + c, i], zero past the last latent; then the bias, zero-padded.</summary>
    public static void PackWeights(float* w, float* bias, float* packed, int d, int latents)
    {
        float* paddedBias = packed + (long)Panels(latents) * TileLatents * d;
        new ReadOnlySpan<float>(bias, latents).CopyTo(new Span<float>(paddedBias, latents));
        new Span<float>(paddedBias + latents, Panels(latents) * TileLatents - latents).Clear();
        CpuParallel.For(Panels(latents), 4, (p0, p1) =>
        {
            for (int p = p0; p < p1; p++)
            {
                float* dst = packed + (long)p * TileLatents * d;
                int valid = Math.Min(TileLatents, latents - p * TileLatents);
                for (int c = 0; c < TileLatents; c++)
                {
                    if (c >= valid)
                    {
                        for (int i = 0; i < d; i++) dst[i * TileLatents + c] = 0;
                        continue;
                    }
                    float* src = w + (long)(p * TileLatents + c) * d;
                    for (int i = 0; i < d; i++) dst[i * TileLatents + c] = src[i];
                }
            }
        });
    }

    /// <summary>packed[q][i][r] = x[6q + r, i], zero past the last row.</summary>
    public static void PackInput(float* x, float* packed, int rows, int d)
    {
        CpuParallel.For(MicroPanels(rows), 16, (q0, q1) =>
        {
            for (int q = q0; q < q1; q++)
            {
                float* dst = packed + (long)q * TileRows * d;
                for (int r = 0; r < TileRows; r++)
                {
                    int row = q * TileRows + r;
                    if (row >= rows)
                    {
                        for (int i = 0; i < d; i++) dst[i * TileRows + r] = 0;
                        continue;
                    }
                    float* src = x + (long)row * d;
                    for (int i = 0; i < d; i++) dst[i * TileRows + r] = src[i];
                }
            }
        });
    }

    private static void Multiply(float* packedInput, float* packedWeight, float* pre, int rows, int d, int latents)
    {
        int panels = Panels(latents);
        float* paddedBias = packedWeight + (long)panels * TileLatents * d;
        int microPanels = MicroPanels(rows);
        int panelsPerBlock = Math.Clamp(L2BlockBytes / (TileLatents * sizeof(float) * d), 1, panels);
        int blocks = (panels + panelsPerBlock - 1) / panelsPerBlock;
        // Enough items that both cores stay busy; token chunks are whole micro-panels.
        int tokenChunks = Math.Clamp(CpuParallel.Threads * 4 / blocks, 1, microPanels);
        CpuParallel.ForEachChunk(blocks * tokenChunks, item =>
        {
            int block = item / tokenChunks, chunk = item % tokenChunks;
            int p0 = block * panelsPerBlock, p1 = Math.Min(panels, p0 + panelsPerBlock);
            int q0 = (int)((long)microPanels * chunk / tokenChunks), q1 = (int)((long)microPanels * (chunk + 1) / tokenChunks);
            for (int q = q0; q < q1; q++)
            {
                float* a = packedInput + (long)q * TileRows * d;
                int validRows = Math.Min(TileRows, rows - q * TileRows);
                for (int p = p0; p < p1; p++)
                {
                    int validLatents = Math.Min(TileLatents, latents - p * TileLatents);
                    float* c = pre + (long)q * TileRows * latents + p * TileLatents;
                    MicroKernel(a, packedWeight + (long)p * TileLatents * d, d, paddedBias + p * TileLatents, c, latents, validRows, validLatents);
                }
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void MicroKernel(float* a, float* w, int d, float* bias, float* c, int ldc, int validRows, int validLatents)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int i = 0; i < d; i++)
        {
            var w0 = Vector512.Load(w);
            var w1 = Vector512.Load(w + 16);
            var a0 = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(a0, w0, c00);
            c01 = Vector512.FusedMultiplyAdd(a0, w1, c01);
            var a1 = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(a1, w0, c10);
            c11 = Vector512.FusedMultiplyAdd(a1, w1, c11);
            var a2 = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(a2, w0, c20);
            c21 = Vector512.FusedMultiplyAdd(a2, w1, c21);
            var a3 = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(a3, w0, c30);
            c31 = Vector512.FusedMultiplyAdd(a3, w1, c31);
            var a4 = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(a4, w0, c40);
            c41 = Vector512.FusedMultiplyAdd(a4, w1, c41);
            var a5 = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(a5, w0, c50);
            c51 = Vector512.FusedMultiplyAdd(a5, w1, c51);
            a += TileRows;
            w += TileLatents;
        }

        // Epilogue: bias and ReLU, then one store per tile (a scratch tile at the ragged edges).
        float* scratch = stackalloc float[TileRows * TileLatents];
        bool full = validRows == TileRows && validLatents == TileLatents;
        float* dst = full ? c : scratch;
        int ld = full ? ldc : TileLatents;
        var b0 = Vector512.Load(bias);
        var b1 = Vector512.Load(bias + 16);
        StoreRow(dst + 0 * ld, c00, c01, b0, b1);
        StoreRow(dst + 1 * ld, c10, c11, b0, b1);
        StoreRow(dst + 2 * ld, c20, c21, b0, b1);
        StoreRow(dst + 3 * ld, c30, c31, b0, b1);
        StoreRow(dst + 4 * ld, c40, c41, b0, b1);
        StoreRow(dst + 5 * ld, c50, c51, b0, b1);
        if (full) return;
        for (int r = 0; r < validRows; r++)
            new ReadOnlySpan<float>(scratch + r * TileLatents, validLatents).CopyTo(new Span<float>(c + (long)r * ldc, validLatents));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* dst, Vector512<float> lo, Vector512<float> hi, Vector512<float> b0, Vector512<float> b1)
    {
        Vector512.Store(Vector512.Max(lo + b0, Vector512<float>.Zero), dst);
        Vector512.Store(Vector512.Max(hi + b1, Vector512<float>.Zero), dst + 16);
    }
}
