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
    public static void Run(float* xc, float* wEnc, float* bEnc, float* pre, int rows, int d, int latents,
        float* blockBuffers, float* packedInput, float* panelMax = null)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax); break;
            default: Run<float, SimdScalar>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(float* xc, float* wEnc, float* bEnc, float* pre, int rows, int d, int latents,
        float* blockBuffers, float* packedInput, float* panelMax = null) where V : struct where S : struct, ISimd<V>
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
                MultiplyBlock<V, S>(packedInput, packed, bias, pre, rows, d, latents, p0, p1, q0, q1, panelMax, streaming: true);
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
    internal static void MultiplyBlock<V, S>(float* packedInput, float* packed, float* bias, float* pre, int rows, int d, int latents,
        int p0, int p1, int q0, int q1, float* panelMax, bool streaming) where V : struct where S : struct, ISimd<V>
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
                MicroKernel<V, S>(a, packed + (long)(p - p0) * TileLatents * d, d, bias + (p - p0) * TileLatents, c, latents, validRows, validLatents,
                    maxima, panels, streaming && (latents & 15) == 0);
            }
        }
    }

    /// <summary>One 6 × 32 tile: bias, ReLU, stored once (through a scratch tile at the ragged edges), with each row's
    /// maximum over the 32 latents. Computed in strips of 6 rows × 2 vectors (one strip at 512 bits, two at 256, four at
    /// 128): 12 accumulators, which fit the 16 vector registers of AVX2 and SSE as well as AVX-512's 32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    internal static void MicroKernel<V, S>(float* a, float* w, int d, float* bias, float* c, int ldc, int validRows, int validLatents,
        float* maxima, int panels, bool streaming) where V : struct where S : struct, ISimd<V>
    {
        float* scratch = stackalloc float[TileRows * TileLatents];
        bool full = validRows == TileRows && validLatents == TileLatents;
        float* dst = full ? c : scratch;
        int ld = full ? ldc : TileLatents;
        bool stream = full && streaming && ((nint)c & 63) == 0;
        for (int column = 0; column < TileLatents; column += 2 * S.Count)
            Strip<V, S>(a, w + column, d, bias + column, dst + column, ld, validRows, maxima, panels, stream, column == 0);
        if (full) return;
        for (int r = 0; r < validRows; r++)
            new ReadOnlySpan<float>(scratch + r * TileLatents, validLatents).CopyTo(new Span<float>(c + (long)r * ldc, validLatents));
    }

    /// <summary>Latents [column, column + 2·Count) of the tile (w, bias and dst already offset to the column).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Strip<V, S>(float* a, float* w, int d, float* bias, float* dst, int ld, int validRows, float* maxima, int panels,
        bool stream, bool first) where V : struct where S : struct, ISimd<V>
    {
        int n = S.Count;
        V c00 = S.Zero, c01 = S.Zero, c10 = S.Zero, c11 = S.Zero, c20 = S.Zero, c21 = S.Zero;
        V c30 = S.Zero, c31 = S.Zero, c40 = S.Zero, c41 = S.Zero, c50 = S.Zero, c51 = S.Zero;
        for (int i = 0; i < d; i++)
        {
            var w0 = S.Load(w);
            var w1 = S.Load(w + n);
            var a0 = S.Create(a[0]);
            c00 = S.Fma(a0, w0, c00);
            c01 = S.Fma(a0, w1, c01);
            var a1 = S.Create(a[1]);
            c10 = S.Fma(a1, w0, c10);
            c11 = S.Fma(a1, w1, c11);
            var a2 = S.Create(a[2]);
            c20 = S.Fma(a2, w0, c20);
            c21 = S.Fma(a2, w1, c21);
            var a3 = S.Create(a[3]);
            c30 = S.Fma(a3, w0, c30);
            c31 = S.Fma(a3, w1, c31);
            var a4 = S.Create(a[4]);
            c40 = S.Fma(a4, w0, c40);
            c41 = S.Fma(a4, w1, c41);
            var a5 = S.Create(a[5]);
            c50 = S.Fma(a5, w0, c50);
            c51 = S.Fma(a5, w1, c51);
            a += TileRows;
            w += TileLatents;
        }

        var b0 = S.Load(bias);
        var b1 = S.Load(bias + n);
        // Padded latents come out as ReLU(0 + 0) = 0, which never exceeds a panel's real maximum (all values are ≥ 0).
        V m0, m1, m2, m3, m4, m5;
        if (stream)
        {
            m0 = StreamRow<V, S>(dst + 0 * ld, c00, c01, b0, b1);
            m1 = StreamRow<V, S>(dst + 1 * ld, c10, c11, b0, b1);
            m2 = StreamRow<V, S>(dst + 2 * ld, c20, c21, b0, b1);
            m3 = StreamRow<V, S>(dst + 3 * ld, c30, c31, b0, b1);
            m4 = StreamRow<V, S>(dst + 4 * ld, c40, c41, b0, b1);
            m5 = StreamRow<V, S>(dst + 5 * ld, c50, c51, b0, b1);
        }
        else
        {
            m0 = StoreRow<V, S>(dst + 0 * ld, c00, c01, b0, b1);
            m1 = StoreRow<V, S>(dst + 1 * ld, c10, c11, b0, b1);
            m2 = StoreRow<V, S>(dst + 2 * ld, c20, c21, b0, b1);
            m3 = StoreRow<V, S>(dst + 3 * ld, c30, c31, b0, b1);
            m4 = StoreRow<V, S>(dst + 4 * ld, c40, c41, b0, b1);
            m5 = StoreRow<V, S>(dst + 5 * ld, c50, c51, b0, b1);
        }
        if (maxima == null) return;
        RowMax(maxima, S.HorizontalMax(m0), first);
        if (validRows > 1) RowMax(maxima + panels, S.HorizontalMax(m1), first);
        if (validRows > 2) RowMax(maxima + 2 * panels, S.HorizontalMax(m2), first);
        if (validRows > 3) RowMax(maxima + 3 * panels, S.HorizontalMax(m3), first);
        if (validRows > 4) RowMax(maxima + 4 * panels, S.HorizontalMax(m4), first);
        if (validRows > 5) RowMax(maxima + 5 * panels, S.HorizontalMax(m5), first);
    }

    /// <summary>The first strip writes a row's panel maximum, later strips raise it (x86 max order, as the lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowMax(float* maximum, float m, bool first) => *maximum = first || m > *maximum ? m : *maximum;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V StreamRow<V, S>(float* dst, V lo, V hi, V b0, V b1) where V : struct where S : struct, ISimd<V>
    {
        var l = S.Max(S.Add(lo, b0), S.Zero);
        var h = S.Max(S.Add(hi, b1), S.Zero);
        S.StoreStreaming(l, dst);
        S.StoreStreaming(h, dst + S.Count);
        return S.Max(l, h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V StoreRow<V, S>(float* dst, V lo, V hi, V b0, V b1) where V : struct where S : struct, ISimd<V>
    {
        var l = S.Max(S.Add(lo, b0), S.Zero);
        var h = S.Max(S.Add(hi, b1), S.Zero);
        S.Store(l, dst);
        S.Store(h, dst + S.Count);
        return S.Max(l, h);
    }
}
