using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// <see cref="EncoderGemm"/>'s output (ReLU(xc · W_encᵀ + b_enc), and asked for, each row's 32-latent panel maxima) with
/// TF32 or BF16 inputs on tensor cores. A group of 8 warps owns a tile of 128 tokens × 128 latents, each warp 64 × 32 of
/// it as 4 × 4 accumulators of <see cref="Mma"/>'s 16 × 8 (64 floats a lane), and walks the model dimension in slices
/// of 16, double-buffered as <see cref="EncoderGemm"/>'s: the next slice's quads are read from global memory before the
/// current one's products and stored, rounded once, to the other buffer after, with one barrier per slice. Both tiles
/// are stored row-major (token or latent, then k) in words (a TF32 value, or a BF16 pair), rows padded by 4 words to 20
/// (TF32) or 12 (BF16): a fragment's 32 reads (rows g, words t) then fall in 32 different banks. A slice is 2 steps of
/// 8 k in TF32, 1 of 16 in BF16, each 4 fragment reads of A and 4 of B per lane for 16 products. On CUDA it is loaded
/// through <see cref="PtxKernels"/>, which keeps the instruction's arguments in registers. Runs where warps have 32
/// lanes and groups 256 threads (<see cref="Runs"/>).
/// </summary>
internal sealed class TensorCoreGemm(Accelerator accelerator, Precision precision) : IDenseGemm
{
    public const int Threads = 256;

    private const int Tile = 128, Slice = 16, MaxStride = Slice + 4, TilePanels = Tile / EncoderGemm.Panel;

    /// <summary>As compiled for CUDA: groups of 256, registers as ptxas needs (at sm_90 with ISA 7.8: TF32 172, so one
    /// group per multiprocessor, since capped at 128 for two it spilled 100 bytes; BF16 128).</summary>
    public static readonly KernelSpecialization Specialization = new(Threads, null);

    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<uint>, int, int, int, int>
        _kernel = PtxKernels.Load<Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<uint>, int, int, int, int>>(
            accelerator, KernelMethod(precision), Specialization);

    private readonly AcceleratorStream _stream = accelerator.DefaultStream;

    /// <summary>The kernel of a precision (tf32 or bf16) as a method, for CUDA's load path and the PTX tests.</summary>
    internal static System.Reflection.MethodInfo KernelMethod(Precision precision) =>
        typeof(TensorCoreGemm).GetMethod(precision switch
        {
            Precision.Tf32 => nameof(KernelTf32),
            Precision.Bf16 => nameof(KernelBf16),
            _ => throw new ArgumentOutOfRangeException(nameof(precision), "fp32 runs on EncoderGemm"),
        }, System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!;

    /// <summary>Whether the accelerator can run it: 32-lane warps (the fragments' layout) and groups of 256.</summary>
    public static bool Runs(Accelerator accelerator) => accelerator.WarpSize == 32 && accelerator.MaxNumThreadsPerGroup >= Threads;

    /// <param name="panelMax">As <see cref="EncoderGemm.Run"/>'s: written when <paramref name="maxima"/>.</param>
    public void Run(ArrayView<float> xc, ArrayView<float> wEnc, ArrayView<float> bEnc, ArrayView<float> pre, ArrayView<uint> panelMax, bool maxima,
        int rows, int d, int latents)
    {
        var grid = new Index2D((latents + Tile - 1) / Tile, (rows + Tile - 1) / Tile);
        _kernel(_stream, new KernelConfig(grid, new Index2D(Threads, 1)), xc, wEnc, bEnc, pre, panelMax, maxima ? 1 : 0, rows, d, latents);
    }

    private static void KernelTf32(ArrayView<float> xc, ArrayView<float> wEnc, ArrayView<float> bEnc, ArrayView<float> pre,
        ArrayView<uint> panelMax, int maxima, int rows, int d, int latents) =>
        Body(xc, wEnc, bEnc, pre, panelMax, maxima, rows, d, latents, false);

    private static void KernelBf16(ArrayView<float> xc, ArrayView<float> wEnc, ArrayView<float> bEnc, ArrayView<float> pre,
        ArrayView<uint> panelMax, int maxima, int rows, int d, int latents) =>
        Body(xc, wEnc, bEnc, pre, panelMax, maxima, rows, d, latents, true);

    /// <summary>Words per tile row: a slice's 16 k as TF32 values or BF16 pairs, and 4 of padding.</summary>
    private static int Stride(bool bf16) => (bf16 ? Slice / 2 : Slice) + 4;

    /// <summary>The kernel, <paramref name="bf16"/> a constant of each entry point (so every branch on it folds).</summary>
    private static void Body(ArrayView<float> xc, ArrayView<float> wEnc, ArrayView<float> bEnc, ArrayView<float> pre,
        ArrayView<uint> panelMax, int maxima, int rows, int d, int latents, bool bf16)
    {
        int thread = Group.IdxX, warp = thread / 32, lane = thread % 32, g = lane / 4, t = lane % 4;
        int row0 = Grid.IdxY * Tile, latent0 = Grid.IdxX * Tile;
        // Warps 0–3 take the tile's first 64 tokens, 4–7 the others; warp % 4 its 32 latents (one panel).
        int warpRow = warp / 4 * 64, warpLatent = warp % 4 * 32;
        int stride = Stride(bf16), buffer = Tile * stride;
        // Sized for TF32's rows (shared sizes must be constants); BF16 uses 60 % of it.
        var a = SharedMemory.Allocate<uint>(2 * Tile * MaxStride);
        var b = SharedMemory.Allocate<uint>(2 * Tile * MaxStride);
        // [row of the tile][panel of the tile]; cleared here, ordered before the epilogue's atomics by the barriers below.
        var tileMax = SharedMemory.Allocate<uint>(Tile * TilePanels);
        if (maxima != 0)
            for (int i = thread; i < Tile * TilePanels; i += Threads) tileMax[i] = 0;

        // 512 quads per matrix and slice (128 rows × 4 quads of k), two per thread.
        var x0 = new Quad(row0, rows, d, Slice, thread);
        var x1 = new Quad(row0, rows, d, Slice, thread + Threads);
        var w0 = new Quad(latent0, latents, d, Slice, thread);
        var w1 = new Quad(latent0, latents, d, Slice, thread + Threads);
        x0.Load(xc, 0, d);
        x1.Load(xc, 0, d);
        w0.Load(wEnc, 0, d);
        w1.Load(wEnc, 0, d);
        Store(x0, x1, a, 0, stride, bf16);
        Store(w0, w1, b, 0, stride, bf16);
        Group.Barrier();

        var c = default(WarpTile);
        int current = 0;
        for (int k0 = 0; k0 < d; k0 += Slice)
        {
            // Read unconditionally, as EncoderGemm's: past d the quads read zeros into a buffer nobody reads.
            x0.Load(xc, k0 + Slice, d);
            x1.Load(xc, k0 + Slice, d);
            w0.Load(wEnc, k0 + Slice, d);
            w1.Load(wEnc, k0 + Slice, d);
            var aWarp = a.SubView(current * buffer + warpRow * stride);
            var bWarp = b.SubView(current * buffer + warpLatent * stride);
            c.Step(aWarp, bWarp, stride, 0, g, t, bf16);
            if (!bf16) c.Step(aWarp, bWarp, stride, 8, g, t, bf16);
            // The other buffer was last read before the previous iteration's barrier.
            int other = (1 - current) * buffer;
            Store(x0, x1, a, other, stride, bf16);
            Store(w0, w1, b, other, stride, bf16);
            Group.Barrier();
            current = 1 - current;
        }
        var epilogue = new Epilogue(pre, bEnc, tileMax, maxima, row0 + warpRow + g, warpRow + g, latent0 + warpLatent + 2 * t, warp % 4, rows, latents);
        c.Store(epilogue);
        if (maxima == 0) return;
        Group.Barrier();
        EncoderGemm.WriteMaxima(tileMax, panelMax, thread, Threads, row0, Tile, latent0, TilePanels, rows, latents);
    }

    /// <summary>A thread's two quads of one matrix into a tile buffer, rounded to the precision.</summary>
    private static void Store(Quad first, Quad second, ArrayView<uint> tile, int at, int stride, bool bf16)
    {
        if (bf16)
        {
            first.StoreBf16(tile, at, stride);
            second.StoreBf16(tile, at, stride);
        }
        else
        {
            first.StoreTf32(tile, at, stride);
            second.StoreTf32(tile, at, stride);
        }
    }

    /// <summary>A warp's 64 × 32 accumulators: Cmn at rows 16m, latents 8n of the warp's part.</summary>
    private struct WarpTile
    {
        public Accumulator C00, C01, C02, C03, C10, C11, C12, C13, C20, C21, C22, C23, C30, C31, C32, C33;

        /// <summary>The products over 8 words from word <paramref name="k"/> of the warp's rows of each tile. Off CUDA each
        /// lane computes its accumulators' sums from the tiles directly: the emulator's shuffles cost it a warp barrier
        /// each, 32 per product (2 s per group and slice); <c>TensorCoreSuite</c> checks the fragments and the shuffled
        /// product on one warp.</summary>
        public void Step(ArrayView<uint> a, ArrayView<uint> b, int stride, int k, int g, int t, bool bf16)
        {
            if (!ILGPU.Runtime.Cuda.CudaAsm.IsSupported)
            {
                Emulate(a, b, stride, k, g, t, bf16);
                return;
            }
            // B's four fragments, then A's one at a time: 12 fragment registers need be live rather than 24 (ptxas
            // may hoist the loads anyway; it gave the same 172 registers in TF32 either way).
            var b0 = Fragments.B(b, stride, 0, k, g, t);
            var b1 = Fragments.B(b, stride, 8, k, g, t);
            var b2 = Fragments.B(b, stride, 16, k, g, t);
            var b3 = Fragments.B(b, stride, 24, k, g, t);
            var a0 = Fragments.A(a, stride, 0, k, g, t);
            Mma.Run(ref C00, a0, b0, bf16); Mma.Run(ref C01, a0, b1, bf16); Mma.Run(ref C02, a0, b2, bf16); Mma.Run(ref C03, a0, b3, bf16);
            var a1 = Fragments.A(a, stride, 16, k, g, t);
            Mma.Run(ref C10, a1, b0, bf16); Mma.Run(ref C11, a1, b1, bf16); Mma.Run(ref C12, a1, b2, bf16); Mma.Run(ref C13, a1, b3, bf16);
            var a2 = Fragments.A(a, stride, 32, k, g, t);
            Mma.Run(ref C20, a2, b0, bf16); Mma.Run(ref C21, a2, b1, bf16); Mma.Run(ref C22, a2, b2, bf16); Mma.Run(ref C23, a2, b3, bf16);
            var a3 = Fragments.A(a, stride, 48, k, g, t);
            Mma.Run(ref C30, a3, b0, bf16); Mma.Run(ref C31, a3, b1, bf16); Mma.Run(ref C32, a3, b2, bf16); Mma.Run(ref C33, a3, b3, bf16);
        }

        public readonly void Store(Epilogue e)
        {
            e.Rows(C00, C01, C02, C03, 0);
            e.Rows(C10, C11, C12, C13, 16);
            e.Rows(C20, C21, C22, C23, 32);
            e.Rows(C30, C31, C32, C33, 48);
        }

        private void Emulate(ArrayView<uint> a, ArrayView<uint> b, int stride, int k, int g, int t, bool bf16)
        {
            Fragments.Product(ref C00, a, b, stride, 0, 0, k, g, t, bf16); Fragments.Product(ref C01, a, b, stride, 0, 8, k, g, t, bf16);
            Fragments.Product(ref C02, a, b, stride, 0, 16, k, g, t, bf16); Fragments.Product(ref C03, a, b, stride, 0, 24, k, g, t, bf16);
            Fragments.Product(ref C10, a, b, stride, 16, 0, k, g, t, bf16); Fragments.Product(ref C11, a, b, stride, 16, 8, k, g, t, bf16);
            Fragments.Product(ref C12, a, b, stride, 16, 16, k, g, t, bf16); Fragments.Product(ref C13, a, b, stride, 16, 24, k, g, t, bf16);
            Fragments.Product(ref C20, a, b, stride, 32, 0, k, g, t, bf16); Fragments.Product(ref C21, a, b, stride, 32, 8, k, g, t, bf16);
            Fragments.Product(ref C22, a, b, stride, 32, 16, k, g, t, bf16); Fragments.Product(ref C23, a, b, stride, 32, 24, k, g, t, bf16);
            Fragments.Product(ref C30, a, b, stride, 48, 0, k, g, t, bf16); Fragments.Product(ref C31, a, b, stride, 48, 8, k, g, t, bf16);
            Fragments.Product(ref C32, a, b, stride, 48, 16, k, g, t, bf16); Fragments.Product(ref C33, a, b, stride, 48, 24, k, g, t, bf16);
        }
    }

    /// <summary>Where a lane's accumulators go: rows <paramref name="row"/> + 16m and + 8 (tile row
    /// <paramref name="tileRow"/> + …), latents <paramref name="latent"/> + 8n and + 1; their keys' maximum folded into
    /// the warp's panel.</summary>
    private readonly struct Epilogue(ArrayView<float> pre, ArrayView<float> bEnc, ArrayView<uint> tileMax, int maxima, int row, int tileRow,
        int latent, int panel, int rows, int latents)
    {
        /// <summary>Accumulators n0…n3 (latents 0, 8, 16, 24 of the warp's) of the rows 16m … of <paramref name="m"/>.</summary>
        public void Rows(Accumulator n0, Accumulator n1, Accumulator n2, Accumulator n3, int m)
        {
            uint low = XMath.Max(XMath.Max(Pair(row + m, latent, n0.C0, n0.C1), Pair(row + m, latent + 8, n1.C0, n1.C1)),
                XMath.Max(Pair(row + m, latent + 16, n2.C0, n2.C1), Pair(row + m, latent + 24, n3.C0, n3.C1)));
            uint high = XMath.Max(XMath.Max(Pair(row + m + 8, latent, n0.C2, n0.C3), Pair(row + m + 8, latent + 8, n1.C2, n1.C3)),
                XMath.Max(Pair(row + m + 8, latent + 16, n2.C2, n2.C3), Pair(row + m + 8, latent + 24, n3.C2, n3.C3)));
            if (maxima == 0) return;
            Atomic.Max(ref tileMax[(tileRow + m) * TilePanels + panel], low);
            Atomic.Max(ref tileMax[(tileRow + m + 8) * TilePanels + panel], high);
        }

        /// <summary>Two neighbouring latents of a row; the larger key (0 past the matrix).</summary>
        private uint Pair(int r, int at, float v0, float v1)
        {
            if (r >= rows) return 0;
            long offset = (long)r * latents;
            return XMath.Max(EncoderGemm.Store(pre, bEnc, offset, at, latents, v0), EncoderGemm.Store(pre, bEnc, offset, at + 1, latents, v1));
        }
    }
}
