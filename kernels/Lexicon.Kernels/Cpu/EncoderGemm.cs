using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// pre = ReLU(xc · W_encᵀ + b_enc), a packed-panel SGEMM. The input is packed once into micro-panels of 6 tokens laid
/// out [d][6]; W_enc is packed block by block, inside the work item that uses the block, into panels of 32 latents laid
/// out [d][32] (a block ≈ 512 KB, so it is packed straight into the core's L2 and consumed there: W_enc is read from
/// memory once and no packed copy of it is ever written back). A 6×32 register tile (12 Vector512 accumulators) runs
/// over the full d; the epilogue adds the bias, applies ReLU, stores the tile once — with streaming stores, as pre is
/// far larger than the caches and read back only in the few panels top-k needs — and writes each row's maximum over
/// the tile's 32 latents for <see cref="TopK"/>. Work items are (block of panels × token range), handed out dynamically
/// to one worker per core (each with its own block buffer); every output element is still computed by one item in one
/// fixed order, so results do not depend on scheduling.
/// </summary>
public static unsafe class EncoderGemm
{
    public const int TileRows = 6;
    public const int TileLatents = 32;
    private const int L2BlockBytes = 512 * 1024;

    /// <summary>Panels per block: about 512 KB of packed weights.</summary>
    public static int PanelsPerBlock(int d, int latents) => Math.Clamp(L2BlockBytes / (TileLatents * sizeof(float) * d), 1, Panels(latents));

    /// <summary>One worker's block buffer: packed panels plus their bias (so the epilogue never reads past b_enc).</summary>
    public static long BlockLength(int d, int latents) => (long)PanelsPerBlock(d, latents) * TileLatents * (d + 1);

    /// <summary>All workers' block buffers.</summary>
    public static long PackedWeightLength(int d, int latents) => CpuParallel.Threads * BlockLength(d, latents);

    public static long PackedInputLength(int rows, int d) => (long)MicroPanels(rows) * TileRows * d;

    /// <param name="blockBuffers"><see cref="PackedWeightLength"/> floats of scratch.</param>
    /// <param name="panelMax">When not null, per row the maximum of each 32-latent panel of pre ([rows, panels]),
    /// written by the epilogue for <see cref="TopK"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* xc, float* wEnc, float* bEnc, float* pre, int rows, int d, int latents,
        float* blockBuffers, float* packedInput, float* panelMax = null)
    {
        PackInput(xc, packedInput, rows, d);
        int panels = Panels(latents);
        int microPanels = MicroPanels(rows);
        int panelsPerBlock = PanelsPerBlock(d, latents);
        int blocks = (panels + panelsPerBlock - 1) / panelsPerBlock;
        // Items: (block, token range). Enough that both cores stay busy; and the last blocks cut finer, so the cores
        // finish together (a whole block is ~5 ms at W2: waiting for the last one cost ~2% of the GEMM).
        int tokenChunks = Math.Clamp(CpuParallel.Threads * 4 / blocks, 1, microPanels);
        int tailChunks = Math.Clamp(4 * tokenChunks, 1, microPanels);
        int tailBlocks = Math.Min(blocks, 2 * CpuParallel.Threads);
        int headBlocks = blocks - tailBlocks;
        int items = headBlocks * tokenChunks + tailBlocks * tailChunks;
        long blockLength = BlockLength(d, latents);
        int next = -1;
        CpuParallel.ForEachChunk(Math.Min(CpuParallel.Threads, items), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (worker) =>
        {
            float* packed = blockBuffers + worker * blockLength;
            float* bias = packed + (long)panelsPerBlock * TileLatents * d;
            int packedBlock = -1;
            for (int item = Interlocked.Increment(ref next); item < items; item = Interlocked.Increment(ref next))
            {
                bool head = item < headBlocks * tokenChunks;
                int chunks = head ? tokenChunks : tailChunks;
                int local = head ? item : item - headBlocks * tokenChunks;
                int block = (head ? 0 : headBlocks) + local / chunks, chunk = local % chunks;
                int p0 = block * panelsPerBlock, p1 = Math.Min(panels, p0 + panelsPerBlock);
                if (block != packedBlock)
                {
                    PackPanels(wEnc, bEnc, packed, bias, p0, p1, d, latents);
                    packedBlock = block;
                }
                int q0 = (int)((long)microPanels * chunk / chunks), q1 = (int)((long)microPanels * (chunk + 1) / chunks);
                MultiplyBlock(packedInput, packed, bias, pre, rows, d, latents, p0, p1, q0, q1, panelMax, streaming: true);
            }
            Simd.StreamingDone();
        });
    }

    internal static int Panels(int latents) => (latents + TileLatents - 1) / TileLatents;

    internal static int MicroPanels(int rows) => (rows + TileRows - 1) / TileRows;

    /// <summary>Panels [p0, p1): packed[p − p0][i][c] = w[32p + c, i] and bias[32(p − p0) + c] = b[32p + c], zero past the
    /// last latent. Written 64 steps × 32 latents (8 KB) at a time, so the strided writes stay in L1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackPanels(float* w, float* b, float* packed, float* bias, int p0, int p1, int d, int latents)
    {
        const int step = 64;
        for (int p = p0; p < p1; p++)
        {
            float* dst = packed + (long)(p - p0) * TileLatents * d;
            int valid = Math.Min(TileLatents, latents - p * TileLatents);
            for (int c = 0; c < TileLatents; c++) bias[(p - p0) * TileLatents + c] = c < valid ? b[p * TileLatents + c] : 0;
            for (int i0 = 0; i0 < d; i0 += step)
            {
                int i1 = Math.Min(d, i0 + step);
                for (int c = 0; c < TileLatents; c++)
                {
                    if (c >= valid)
                    {
                        for (int i = i0; i < i1; i++) dst[i * TileLatents + c] = 0;
                        continue;
                    }
                    float* src = w + (long)(p * TileLatents + c) * d;
                    for (int i = i0; i < i1; i++) dst[i * TileLatents + c] = src[i];
                }
            }
        }
    }

    /// <summary>packed[q][i][r] = x[6q + r, i], zero past the last row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackInput(float* x, float* packed, int rows, int d)
    {
        CpuParallel.For(MicroPanels(rows), 16, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (q0, q1) =>
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

    /// <summary>Micro-panels [q0, q1) of the packed input against panels [p0, p1), packed at <paramref name="packed"/>
    /// (panel p at (p − p0)·32·d) with their bias at <paramref name="bias"/>: tokens outer, so one micro-panel of the
    /// input stays in L1 while the block's panels stream from L2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MultiplyBlock(float* packedInput, float* packed, float* bias, float* pre, int rows, int d, int latents,
        int p0, int p1, int q0, int q1, float* panelMax, bool streaming)
    {
        int panels = Panels(latents);
        for (int q = q0; q < q1; q++)
        {
            float* a = packedInput + (long)q * TileRows * d;
            int validRows = Math.Min(TileRows, rows - q * TileRows);
            for (int p = p0; p < p1; p++)
            {
                int validLatents = Math.Min(TileLatents, latents - p * TileLatents);
                float* c = pre + (long)q * TileRows * latents + p * TileLatents;
                float* maxima = panelMax == null ? null : panelMax + (long)q * TileRows * panels + p;
                MicroKernel(a, packed + (long)(p - p0) * TileLatents * d, d, bias + (p - p0) * TileLatents, c, latents, validRows, validLatents,
                    maxima, panels, streaming && (latents & 15) == 0);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    internal static void MicroKernel(float* a, float* w, int d, float* bias, float* c, int ldc, int validRows, int validLatents,
        float* maxima, int panels, bool streaming)
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
        // Padded latents come out as ReLU(0 + 0) = 0, which never exceeds a panel's real maximum (all values are ≥ 0).
        bool stream = full && streaming && ((nint)c & 63) == 0;
        Vector512<float> m0, m1, m2, m3, m4, m5;
        if (stream)
        {
            m0 = StreamRow(dst + 0 * ld, c00, c01, b0, b1);
            m1 = StreamRow(dst + 1 * ld, c10, c11, b0, b1);
            m2 = StreamRow(dst + 2 * ld, c20, c21, b0, b1);
            m3 = StreamRow(dst + 3 * ld, c30, c31, b0, b1);
            m4 = StreamRow(dst + 4 * ld, c40, c41, b0, b1);
            m5 = StreamRow(dst + 5 * ld, c50, c51, b0, b1);
        }
        else
        {
            m0 = StoreRow(dst + 0 * ld, c00, c01, b0, b1);
            m1 = StoreRow(dst + 1 * ld, c10, c11, b0, b1);
            m2 = StoreRow(dst + 2 * ld, c20, c21, b0, b1);
            m3 = StoreRow(dst + 3 * ld, c30, c31, b0, b1);
            m4 = StoreRow(dst + 4 * ld, c40, c41, b0, b1);
            m5 = StoreRow(dst + 5 * ld, c50, c51, b0, b1);
        }
        if (maxima != null)
        {
            maxima[0] = Simd.HorizontalMax(m0);
            if (validRows > 1) maxima[panels] = Simd.HorizontalMax(m1);
            if (validRows > 2) maxima[2 * panels] = Simd.HorizontalMax(m2);
            if (validRows > 3) maxima[3 * panels] = Simd.HorizontalMax(m3);
            if (validRows > 4) maxima[4 * panels] = Simd.HorizontalMax(m4);
            if (validRows > 5) maxima[5 * panels] = Simd.HorizontalMax(m5);
        }
        if (full) return;
        for (int r = 0; r < validRows; r++)
            new ReadOnlySpan<float>(scratch + r * TileLatents, validLatents).CopyTo(new Span<float>(c + (long)r * ldc, validLatents));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> StreamRow(float* dst, Vector512<float> lo, Vector512<float> hi, Vector512<float> b0, Vector512<float> b1)
    {
        var l = Vector512.Max(lo + b0, Vector512<float>.Zero);
        var h = Vector512.Max(hi + b1, Vector512<float>.Zero);
        Vector512.StoreAlignedNonTemporal(l, dst);
        Vector512.StoreAlignedNonTemporal(h, dst + 16);
        return Vector512.Max(l, h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> StoreRow(float* dst, Vector512<float> lo, Vector512<float> hi, Vector512<float> b0, Vector512<float> b1)
    {
        var l = Vector512.Max(lo + b0, Vector512<float>.Zero);
        var h = Vector512.Max(hi + b1, Vector512<float>.Zero);
        Vector512.Store(l, dst);
        Vector512.Store(h, dst + 16);
        return Vector512.Max(l, h);
    }
}
