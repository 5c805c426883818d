using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// pre = ReLU(xc · W_encᵀ + b_enc), a tiled SGEMM. A group of sx × sy threads owns a tile of 8·sy tokens × 8·sx latents
/// (128 × 128 with 16 × 16 threads) and walks the model dimension in slices of 16 (4 for groups narrower than 16). Each
/// thread accumulates 8 × 8 outputs as four 4 × 4 register blocks, at rows ty·4 and 4·sy + ty·4 and latents tx·4 and
/// 4·sx + tx·4: each step of k reads two float4 of xc and two of W_enc from shared memory (stored k-major) for 64 FMAs,
/// so shared memory stays under the FMA rate (a 4 × 4 block with scalar reads needs one load per two FMAs, which held
/// the first version of this kernel to 22% of an H100's FP32 peak).
/// <para>Slices are double-buffered: the next one is read from global memory into registers before the current one is
/// multiplied and stored to the other buffer after, so one barrier per slice suffices and the loads' latency overlaps
/// the FMAs. A thread reads quads of 4 consecutive k of one row (one 64-bit offset per quad, immediate offsets for the
/// four); the k-major rows are padded by one float4, which keeps the transposing stores conflict-free. The group's sides
/// are compile-time constants of the specialised kernel, so the slice's steps unroll with constant shared-memory
/// offsets, and on CUDA the kernel is compiled for two groups per multiprocessor (at most 128 registers a thread: at
/// 146 one group fitted and the schedulers starved). Slices of 16 rather than 8 halve the barriers and loop overhead per
/// FMA and give the reads twice as long to arrive: 0.47 → 0.56 of the H100's FP32 peak at W2.</para>
/// Bias and ReLU are applied in the epilogue; tiles past the edges are zero-padded on load and clipped on store. Asked
/// for, the epilogue also writes each row's maximum over every 32-latent panel (as <see cref="TopK.Key"/>s: a panel lies
/// inside one tile, as tiles are 8·sx ≥ 32 latents wide), for <see cref="PanelTopK"/>: each thread takes the maximum of
/// its four latents of a row, a shared-memory atomic maximum folds the threads of a panel, and the group stores its rows'
/// maxima once.
/// </summary>
internal sealed class EncoderGemm(Accelerator accelerator, Launch launch) : IDenseGemm
{
    /// <summary>The largest group side: 16, of 256 threads.</summary>
    private const int MaxSide = 16;

    /// <summary>Steps of k per slice: 16 for groups 16 wide (then each thread loads two quads of each matrix), else 4.</summary>
    private const int MaxSlice = 16;

    /// <summary>Float4s in the two buffers of one matrix at the largest group: 2 × 16 steps × (2·16 + 1 padded).</summary>
    private const int SharedFloat4s = 2 * MaxSlice * (2 * MaxSide + 1);

    /// <summary>Panel maxima of the largest tile: 128 rows × 4 panels.</summary>
    private const int MaxTileMaxima = 8 * MaxSide * (8 * MaxSide / Panel);

    /// <summary>Latents per panel of the maxima (as the CPU's top-k).</summary>
    public const int Panel = 32;

    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<uint>, int, int, int, int,
        SpecializedValue<int>, SpecializedValue<int>, SpecializedValue<int>> _kernel = accelerator.AcceleratorType == AcceleratorType.Cuda
        ? accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<uint>, int, int, int, int,
            SpecializedValue<int>, SpecializedValue<int>, SpecializedValue<int>>(Kernel, new KernelSpecialization(launch.GroupSize, 2))
        : accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<uint>, int, int, int, int,
            SpecializedValue<int>, SpecializedValue<int>, SpecializedValue<int>>(Kernel);

    public static int Panels(int latents) => (latents + Panel - 1) / Panel;

    /// <param name="panelMax">When <paramref name="maxima"/>, per row the key of each panel's maximum ([rows, Panels(latents)]);
    /// else not read or written (any valid view).</param>
    public void Run(ArrayView<float> xc, ArrayView<float> wEnc, ArrayView<float> bEnc, ArrayView<float> pre, ArrayView<uint> panelMax, bool maxima,
        int rows, int d, int latents)
    {
        // The most square thread layout of the group: 16 × 16 for 256 threads, 4 × 4 for the CPU emulator's 16.
        int sx = 1 << ((System.Numerics.BitOperations.Log2((uint)launch.GroupSize) + 1) / 2), sy = launch.GroupSize / sx;
        if (sx < 4 || sx > MaxSide) throw new InvalidOperationException($"the GEMM needs groups of 16 to {MaxSide * MaxSide} threads, not {launch.GroupSize}");
        var grid = new Index2D((latents + 8 * sx - 1) / (8 * sx), (rows + 8 * sy - 1) / (8 * sy));
        int slice = sx >= MaxSide ? MaxSlice : 4;
        _kernel(new KernelConfig(grid, new Index2D(sx, sy)), xc, wEnc, bEnc, pre, panelMax, maxima ? 1 : 0, rows, d, latents,
            SpecializedValue.New(sx), SpecializedValue.New(sy), SpecializedValue.New(slice));
    }

    private static void Kernel(ArrayView<float> xc, ArrayView<float> wEnc, ArrayView<float> bEnc, ArrayView<float> pre,
        ArrayView<uint> panelMax, int maxima, int rows, int d, int latents, SpecializedValue<int> sideX, SpecializedValue<int> sideY, SpecializedValue<int> sliceSteps)
    {
        int tx = Group.IdxX, ty = Group.IdxY, sx = sideX.Value, sy = sideY.Value;
        int slice = sliceSteps.Value, row0 = Grid.IdxY * 8 * sy, latent0 = Grid.IdxX * 8 * sx;
        int thread = ty * sx + tx, threads = sx * sy;
        // a[(buffer·slice + kk)·strideA + q] holds xc rows 4q … 4q + 3 of the tile at model dimension k0 + kk.
        int strideA = 2 * sy + 1, strideW = 2 * sx + 1;
        var a = SharedMemory.Allocate<Float4>(SharedFloat4s);
        var w = SharedMemory.Allocate<Float4>(SharedFloat4s);
        var aScalar = a.Cast<float>();
        var wScalar = w.Cast<float>();
        // [row of the tile][panel of the tile]; cleared here, ordered before the epilogue's atomics by the barriers below.
        var tileMax = SharedMemory.Allocate<uint>(MaxTileMaxima);
        int tilePanels = 8 * sx / Panel;
        if (maxima != 0)
            for (int i = thread; i < 8 * sy * tilePanels; i += threads) tileMax[i] = 0;

        // Quad q of a slice (q = thread, and thread + threads when each thread loads two) covers row q / (slice / 4) at
        // k = 4·(q % (slice / 4)); 8·sy·slice / 4 quads per matrix, one or two per thread.
        bool twoQuads = 2 * slice > sx;
        var x0 = new Quad(row0, rows, d, slice, thread);
        var x1 = new Quad(row0, rows, d, slice, thread + threads);
        var w0 = new Quad(latent0, latents, d, slice, thread);
        var w1 = new Quad(latent0, latents, d, slice, thread + threads);
        x0.Load(xc, 0, d);
        w0.Load(wEnc, 0, d);
        x0.Store(aScalar, 0, slice, strideA);
        w0.Store(wScalar, 0, slice, strideW);
        if (twoQuads)
        {
            x1.Load(xc, 0, d);
            w1.Load(wEnc, 0, d);
            x1.Store(aScalar, 0, slice, strideA);
            w1.Store(wScalar, 0, slice, strideW);
        }
        Group.Barrier();

        var c = default(Tile8x8);
        int buffer = 0;
        for (int k0 = 0; k0 < d; k0 += slice)
        {
            // The next slice is read unconditionally (past d the quads read zeros, and the last store goes to a buffer
            // nobody reads): with the reads under an `if`, the branch was laid out after the FMAs and every slice
            // waited out the full global-memory latency at its stores.
            x0.Load(xc, k0 + slice, d);
            w0.Load(wEnc, k0 + slice, d);
            if (twoQuads)
            {
                x1.Load(xc, k0 + slice, d);
                w1.Load(wEnc, k0 + slice, d);
            }
            // Sub-views at the thread's first float4: the steps below then read at constant offsets from them.
            var aBuffer = a.SubView(buffer * slice * strideA + ty);
            var wBuffer = w.SubView(buffer * slice * strideW + tx);
            Step(ref c, aBuffer, wBuffer, 0, strideA, strideW, sy, sx);
            Step(ref c, aBuffer, wBuffer, 1, strideA, strideW, sy, sx);
            Step(ref c, aBuffer, wBuffer, 2, strideA, strideW, sy, sx);
            Step(ref c, aBuffer, wBuffer, 3, strideA, strideW, sy, sx);
            if (slice > 4)
            {
                Step(ref c, aBuffer, wBuffer, 4, strideA, strideW, sy, sx);
                Step(ref c, aBuffer, wBuffer, 5, strideA, strideW, sy, sx);
                Step(ref c, aBuffer, wBuffer, 6, strideA, strideW, sy, sx);
                Step(ref c, aBuffer, wBuffer, 7, strideA, strideW, sy, sx);
            }
            if (slice > 8)
            {
                Step(ref c, aBuffer, wBuffer, 8, strideA, strideW, sy, sx);
                Step(ref c, aBuffer, wBuffer, 9, strideA, strideW, sy, sx);
                Step(ref c, aBuffer, wBuffer, 10, strideA, strideW, sy, sx);
                Step(ref c, aBuffer, wBuffer, 11, strideA, strideW, sy, sx);
                Step(ref c, aBuffer, wBuffer, 12, strideA, strideW, sy, sx);
                Step(ref c, aBuffer, wBuffer, 13, strideA, strideW, sy, sx);
                Step(ref c, aBuffer, wBuffer, 14, strideA, strideW, sy, sx);
                Step(ref c, aBuffer, wBuffer, 15, strideA, strideW, sy, sx);
            }
            // The other buffer was last read before the previous iteration's barrier.
            x0.Store(aScalar, 1 - buffer, slice, strideA);
            w0.Store(wScalar, 1 - buffer, slice, strideW);
            if (twoQuads)
            {
                x1.Store(aScalar, 1 - buffer, slice, strideA);
                w1.Store(wScalar, 1 - buffer, slice, strideW);
            }
            Group.Barrier();
            buffer = 1 - buffer;
        }
        int rowLow = row0 + ty * 4, rowHigh = rowLow + 4 * sy, latentLow = latent0 + tx * 4, latentHigh = latentLow + 4 * sx;
        var maximaOf = new TileMaxima(tileMax, maxima, row0, latent0, tilePanels);
        StoreTile(pre, bEnc, c.LowLow, rowLow, rows, latentLow, latents, maximaOf);
        StoreTile(pre, bEnc, c.LowHigh, rowLow, rows, latentHigh, latents, maximaOf);
        StoreTile(pre, bEnc, c.HighLow, rowHigh, rows, latentLow, latents, maximaOf);
        StoreTile(pre, bEnc, c.HighHigh, rowHigh, rows, latentHigh, latents, maximaOf);
        if (maxima == 0) return;
        Group.Barrier();
        WriteMaxima(tileMax, panelMax, thread, threads, row0, 8 * sy, latent0, tilePanels, rows, latents);
    }

    /// <summary>A tile's panel maxima (<paramref name="tileRows"/> × <paramref name="tilePanels"/> in shared memory, after
    /// a barrier) to the rows' panel maxima, clipped to the matrix: each of the group's threads writes some.</summary>
    internal static void WriteMaxima(ArrayView<uint> tileMax, ArrayView<uint> panelMax, int thread, int threads, int row0, int tileRows,
        int latent0, int tilePanels, int rows, int latents)
    {
        int panels = Panels(latents), panel0 = latent0 / Panel;
        for (int i = thread; i < tileRows * tilePanels; i += threads)
        {
            int row = row0 + i / tilePanels, panel = panel0 + i % tilePanels;
            if (row < rows && panel < panels) panelMax[(long)row * panels + panel] = tileMax[i];
        }
    }

    /// <summary>The group's panel maxima in shared memory, where each thread folds in the rows it stores.</summary>
    private readonly struct TileMaxima(ArrayView<uint> tileMax, int enabled, int row0, int latent0, int tilePanels)
    {
        public void Fold(int row, int latent, uint key)
        {
            if (enabled != 0) Atomic.Max(ref tileMax[(row - row0) * tilePanels + (latent - latent0) / Panel], key);
        }
    }

    private static void Step(ref Tile8x8 c, ArrayView<Float4> a, ArrayView<Float4> w, int kk, int strideA, int strideW, int sy, int sx)
    {
        int ra = kk * strideA, rw = kk * strideW;
        c.Add(a[ra], a[ra + sy], w[rw], w[rw + sx]);
    }

    private static void StoreTile(ArrayView<float> pre, ArrayView<float> bEnc, Tile4x4 c, int row, int rows, int latent, int latents,
        TileMaxima maxima)
    {
        StoreRow(pre, bEnc, row, rows, latent, latents, c.C00, c.C01, c.C02, c.C03, maxima);
        StoreRow(pre, bEnc, row + 1, rows, latent, latents, c.C10, c.C11, c.C12, c.C13, maxima);
        StoreRow(pre, bEnc, row + 2, rows, latent, latents, c.C20, c.C21, c.C22, c.C23, maxima);
        StoreRow(pre, bEnc, row + 3, rows, latent, latents, c.C30, c.C31, c.C32, c.C33, maxima);
    }

    /// <summary>Four latents of a row (inside one panel: latent is a multiple of 4), and their maximum's key folded into
    /// the panel's.</summary>
    private static void StoreRow(ArrayView<float> pre, ArrayView<float> bEnc, int row, int rows, int latent, int latents,
        float v0, float v1, float v2, float v3, TileMaxima maxima)
    {
        if (row >= rows || latent >= latents) return;
        long offset = (long)row * latents;
        uint key = Store(pre, bEnc, offset, latent, latents, v0);
        key = XMath.Max(key, Store(pre, bEnc, offset, latent + 1, latents, v1));
        key = XMath.Max(key, Store(pre, bEnc, offset, latent + 2, latents, v2));
        key = XMath.Max(key, Store(pre, bEnc, offset, latent + 3, latents, v3));
        maxima.Fold(row, latent, key);
    }

    /// <summary>Stores ReLU(sum + bias) and returns its key (0, below every key, past the last latent).</summary>
    internal static uint Store(ArrayView<float> pre, ArrayView<float> bEnc, long rowOffset, int latent, int latents, float sum)
    {
        if (latent >= latents) return 0;
        float v = XMath.Max(sum + bEnc[latent], 0f);
        pre[rowOffset + latent] = v;
        return TopK.Key(v);
    }
}
