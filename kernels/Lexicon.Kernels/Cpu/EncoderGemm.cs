using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// pre = ReLU(xc · W_encᵀ + b_enc), a packed-panel SGEMM. The input is packed once into micro-panels of R tokens laid
/// out [d][R] (R = <see cref="GemmShape.Rows"/>, 6 by default, tuned by <see cref="CpuTuning"/>); W_enc is packed block
/// by block, inside the work item that uses the block, into panels of 32 latents laid out [d][32] (a block ≈
/// <see cref="GemmShape.BlockBytes"/>, 512 KB by default, so it is packed straight into the core's L2 and consumed
/// there: W_enc is read from memory once and no packed copy of it is ever written back). An R×32 register tile
/// (<see cref="GemmMicroKernel"/>, at the SIMD width in use) runs over the full d, prefetching the weights
/// <see cref="GemmShape.PrefetchBytes"/> ahead into L1 where the tuner found that pays (L2 → L1 is what each tile streams); the epilogue adds the bias, applies
/// ReLU, stores the tile once — with streaming stores, as pre is far larger than the caches and read back only in the
/// few panels top-k needs — and writes each row's maximum over the tile's 32 latents for <see cref="TopK"/>. Work
/// items are (block of panels × token range), handed out dynamically to one worker per core (each with its own block
/// buffer); every output element is still computed by one item in one fixed order, so results do not depend on
/// scheduling, tile height, block size or prefetch.
/// </summary>
public static unsafe class EncoderGemm
{
    public const int TileLatents = GemmMicroKernel.TileLatents;

    /// <summary>Panels per block: about <see cref="GemmShape.BlockBytes"/> of packed weights.</summary>
    public static int PanelsPerBlock(int d, int latents, GemmShape shape) =>
        Math.Clamp(shape.BlockBytes / (TileLatents * sizeof(float) * d), 1, Panels(latents));

    /// <summary>Input rows whose depth-blocked partial sums one worker keeps (<see cref="GemmShape.DepthBlock"/>): enough
    /// that each depth block of a panel, read from L1, serves ~10 tiles, few enough that their input stays in L2.</summary>
    private const int DepthGroupRows = 64;

    /// <summary>One worker's block buffer: packed panels plus their bias (so the epilogue never reads past b_enc), then the
    /// partial sums of a depth-blocked group.</summary>
    public static long BlockLength(int d, int latents, GemmShape shape) =>
        (long)PanelsPerBlock(d, latents, shape) * TileLatents * (d + 1) + PartialLength;

    private const int PartialLength = (DepthGroupRows + GemmMicroKernel.MaxRows) * TileLatents;

    /// <summary>All workers' block buffers, at the shape in use (<see cref="CpuTuning.Shape"/>).</summary>
    public static long PackedWeightLength(int d, int latents) => PackedWeightLength(d, latents, CpuTuning.Shape);

    public static long PackedWeightLength(int d, int latents, GemmShape shape) => CpuParallel.Threads * BlockLength(d, latents, shape);

    /// <summary>The packed input at any tile height (rows rounded up to whole micro-panels of up to 14).</summary>
    public static long PackedInputLength(int rows, int d) => (long)(rows + GemmMicroKernel.MaxRows) * d;

    /// <param name="blockBuffers"><see cref="PackedWeightLength(int, int)"/> floats of scratch.</param>
    /// <param name="panelMax">When not null, per row the maximum of each 32-latent panel of pre ([rows, panels]),
    /// written by the epilogue for <see cref="TopK"/>.</param>
    public static void Run(float* xc, float* wEnc, float* bEnc, float* pre, int rows, int d, int latents,
        float* blockBuffers, float* packedInput, float* panelMax = null) =>
        Run(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, CpuTuning.Shape);

    /// <summary>At a given shape (the tuner's candidates): the results are the same bits at every shape.</summary>
    public static void Run(float* xc, float* wEnc, float* bEnc, float* pre, int rows, int d, int latents,
        float* blockBuffers, float* packedInput, float* panelMax, GemmShape shape)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            default: Run<float, SimdScalar>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
        }
    }

    private static void Run<V, S>(float* xc, float* wEnc, float* bEnc, float* pre, int rows, int d, int latents,
        float* blockBuffers, float* packedInput, float* panelMax, GemmShape shape) where V : struct where S : struct, ISimd<V>
    {
        switch (shape.Rows)
        {
            case 4: Run<V, S, Rows4>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            case 6: Run<V, S, Rows6>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            case 8: Run<V, S, Rows8>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            case 12: Run<V, S, Rows12>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            case 14: Run<V, S, Rows14>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            default: throw new ArgumentOutOfRangeException(nameof(shape), $"no {shape.Rows}-row GEMM tile (4, 6, 8, 12 or 14)");
        }
    }

    private static void Run<V, S, R>(float* xc, float* wEnc, float* bEnc, float* pre, int rows, int d, int latents,
        float* blockBuffers, float* packedInput, float* panelMax, GemmShape shape) where V : struct where S : struct, ISimd<V> where R : struct, IGemmRows
    {
        switch (shape.PrefetchBytes)
        {
            case 0: Run<V, S, R, Prefetch0>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            case 256: Run<V, S, R, Prefetch256>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            case 512: Run<V, S, R, Prefetch512>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            case 1024: Run<V, S, R, Prefetch1024>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            case 2048: Run<V, S, R, Prefetch2048>(xc, wEnc, bEnc, pre, rows, d, latents, blockBuffers, packedInput, panelMax, shape); break;
            default: throw new ArgumentOutOfRangeException(nameof(shape), $"no GEMM prefetch distance of {shape.PrefetchBytes} B (0, 256, 512, 1024 or 2048)");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S, R, P>(float* xc, float* wEnc, float* bEnc, float* pre, int rows, int d, int latents,
        float* blockBuffers, float* packedInput, float* panelMax, GemmShape shape)
        where V : struct where S : struct, ISimd<V> where R : struct, IGemmRows where P : struct, IGemmPrefetch
    {
        PackInput(xc, packedInput, rows, d, R.Value);
        int panels = Panels(latents);
        int microPanels = MicroPanels(rows, R.Value);
        int panelsPerBlock = PanelsPerBlock(d, latents, shape);
        int blocks = (panels + panelsPerBlock - 1) / panelsPerBlock;
        // Items: (block, token range). Enough that both cores stay busy; and the last blocks cut finer, so the cores
        // finish together (a whole block is ~5 ms at W2: waiting for the last one cost ~2% of the GEMM).
        int tokenChunks = Math.Clamp(CpuParallel.Threads * 4 / blocks, 1, microPanels);
        int tailChunks = Math.Clamp(4 * tokenChunks, 1, microPanels);
        int tailBlocks = Math.Min(blocks, 2 * CpuParallel.Threads);
        int headBlocks = blocks - tailBlocks;
        int items = headBlocks * tokenChunks + tailBlocks * tailChunks;
        long blockLength = BlockLength(d, latents, shape);
        int next = -1;
        CpuParallel.ForEachChunk(Math.Min(CpuParallel.Threads, items), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (worker) =>
        {
            float* packed = blockBuffers + worker * blockLength;
            float* bias = packed + (long)panelsPerBlock * TileLatents * d, partial = bias + panelsPerBlock * TileLatents;
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
                if (shape.DepthBlock > 0 && shape.DepthBlock < d)
                    MultiplyBlockInDepth<V, S, R, P>(packedInput, packed, bias, partial, pre, rows, d, latents,
                        p0, p1, q0, q1, panelMax, shape.DepthBlock);
                else
                    MultiplyBlock<V, S, R, P>(packedInput, packed, bias, pre, rows, d, latents, p0, p1, q0, q1, panelMax, streaming: true);
            }
            Simd.StreamingDone();
        });
    }

    internal static int Panels(int latents) => (latents + TileLatents - 1) / TileLatents;

    internal static int MicroPanels(int rows, int tileRows) => (rows + tileRows - 1) / tileRows;

    /// <summary>Panels [p0, p1): packed[p − p0][i][c] = w[32p + c, i] and bias[32(p − p0) + c] = b[32p + c], zero past the
    /// last latent. Whole panels go through 8 × 8 transposes where AVX runs (<see cref="Transpose"/>); the rest is
    /// written 64 steps × 32 latents (8 KB) at a time, so the strided writes stay in L1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackPanels(float* w, float* b, float* packed, float* bias, int p0, int p1, int d, int latents)
    {
        const int step = 64;
        bool vectorized = Transpose.Vectorized;
        for (int p = p0; p < p1; p++)
        {
            float* dst = packed + (long)(p - p0) * TileLatents * d;
            int valid = Math.Min(TileLatents, latents - p * TileLatents);
            for (int c = 0; c < TileLatents; c++) bias[(p - p0) * TileLatents + c] = c < valid ? b[p * TileLatents + c] : 0;
            int done = 0;
            if (vectorized && valid == TileLatents)
            {
                // Whole panels: 8 × 8 blocks, 8 latents' rows at a time (8 read streams the prefetchers follow; the
                // panel, at most 32·d floats, takes the strided writes in L2).
                float* src = w + (long)p * TileLatents * d;
                int whole = d / 8 * 8;
                for (int c0 = 0; c0 < TileLatents; c0 += 8)
                    for (int i = 0; i < whole; i += 8)
                        Transpose.Block8(src + (long)c0 * d + i, d, dst + (long)i * TileLatents + c0, TileLatents);
                done = whole;
            }
            for (int i0 = done; i0 < d; i0 += step)
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

    /// <summary>packed[q][i][r] = x[R·q + r, i] (R = tileRows), zero past the last row; the leading columns through
    /// <see cref="Transpose.MicroPanel"/> where AVX runs, the rest (and panels near the end of x) copied one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackInput(float* x, float* packed, int rows, int d, int tileRows)
    {
        bool vectorized = Transpose.Vectorized; // the caller's width, as the kernels pick theirs before the split
        CpuParallel.For(MicroPanels(rows, tileRows), 16, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (q0, q1) =>
        {
            for (int q = q0; q < q1; q++)
            {
                float* dst = packed + (long)q * tileRows * d;
                int first = q * tileRows;
                int done = vectorized ? Transpose.MicroPanel(x + (long)first * d, rows - first, d, dst, tileRows) : 0;
                for (int r = 0; r < tileRows; r++)
                {
                    int row = first + r;
                    if (row >= rows)
                    {
                        for (int i = done; i < d; i++) dst[i * tileRows + r] = 0;
                        continue;
                    }
                    float* src = x + (long)row * d;
                    for (int i = done; i < d; i++) dst[i * tileRows + r] = src[i];
                }
            }
        });
    }

    /// <summary>Micro-panels [q0, q1) of the packed input against panels [p0, p1), packed at <paramref name="packed"/>
    /// (panel p at (p − p0)·32·d) with their bias at <paramref name="bias"/>: tokens outer, so one micro-panel of the
    /// input stays in L1 while the block's panels stream from L2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MultiplyBlock<V, S, R, P>(float* packedInput, float* packed, float* bias, float* pre, int rows, int d, int latents,
        int p0, int p1, int q0, int q1, float* panelMax, bool streaming)
        where V : struct where S : struct, ISimd<V> where R : struct, IGemmRows where P : struct, IGemmPrefetch
    {
        int panels = Panels(latents), tileRows = R.Value;
        for (int q = q0; q < q1; q++)
        {
            float* a = packedInput + (long)q * tileRows * d;
            int validRows = Math.Min(tileRows, rows - q * tileRows);
            for (int p = p0; p < p1; p++)
            {
                int validLatents = Math.Min(TileLatents, latents - p * TileLatents);
                float* c = pre + (long)q * tileRows * latents + p * TileLatents;
                float* maxima = panelMax == null ? null : panelMax + (long)q * tileRows * panels + p;
                GemmMicroKernel.Tile<V, S, R, P>(a, packed + (long)(p - p0) * TileLatents * d, d, bias + (p - p0) * TileLatents, c, latents,
                    validRows, validLatents, maxima, panels, streaming && (latents & 15) == 0);
            }
        }
    }

    /// <summary>As <see cref="MultiplyBlock"/>, with d cut into blocks of <paramref name="depth"/> steps: for a group of
    /// micro-panels and one panel, each depth block of the panel (depth × 128 B: 16 or 32 KB) serves every tile of the group
    /// before the next, the tiles' sums kept in <paramref name="partial"/> between blocks. The input, not the weights,
    /// then streams from L2 — R floats a step instead of 128 B — for cores whose L2 → L1 path cannot feed the tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MultiplyBlockInDepth<V, S, R, P>(float* packedInput, float* packed, float* bias, float* partial, float* pre, int rows, int d,
        int latents, int p0, int p1, int q0, int q1, float* panelMax, int depth)
        where V : struct where S : struct, ISimd<V> where R : struct, IGemmRows where P : struct, IGemmPrefetch
    {
        int panels = Panels(latents), tileRows = R.Value, group = Math.Max(1, DepthGroupRows / tileRows);
        bool streaming = (latents & 15) == 0;
        for (int g0 = q0; g0 < q1; g0 += group)
        {
            int g1 = Math.Min(q1, g0 + group);
            for (int p = p0; p < p1; p++)
            {
                int validLatents = Math.Min(TileLatents, latents - p * TileLatents);
                float* w = packed + (long)(p - p0) * TileLatents * d;
                for (int k0 = 0; k0 < d; k0 += depth)
                {
                    int steps = Math.Min(depth, d - k0);
                    bool final = k0 + steps == d;
                    for (int q = g0; q < g1; q++)
                    {
                        int validRows = Math.Min(tileRows, rows - q * tileRows);
                        float* c = pre + (long)q * tileRows * latents + p * TileLatents;
                        float* maxima = panelMax == null ? null : panelMax + (long)q * tileRows * panels + p;
                        GemmMicroKernel.Tile<V, S, R, P>(packedInput + (long)q * tileRows * d + (long)k0 * tileRows, w + (long)k0 * TileLatents, steps,
                            bias + (p - p0) * TileLatents, c, latents, validRows, validLatents, maxima, panels, streaming,
                            partial + (long)(q - g0) * tileRows * TileLatents, resume: k0 > 0, final);
                    }
                }
            }
        }
    }
}
