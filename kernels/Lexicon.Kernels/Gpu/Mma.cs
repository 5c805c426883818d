using ILGPU;
using ILGPU.Runtime.Cuda;

namespace Lexicon.Kernels.Gpu;

/// <summary>A warp's fragment of the 16 × 8 fp32 accumulator of <c>mma.m16n8k8</c> (TF32) or <c>m16n8k16</c> (BF16):
/// lane (g = lane / 4, t = lane % 4) holds rows g (C0, C1) and g + 8 (C2, C3) at columns 2t and 2t + 1.</summary>
internal struct Accumulator
{
    public float C0, C1, C2, C3;
}

/// <summary>A lane's four words of the 16-row A tile (row-major along k): rows g, g + 8 at word t (A0, A1), then word
/// t + 4 (A2, A3). A word is one TF32 value, or two BF16 values at consecutive k (the lower k in the low half).</summary>
internal struct AFragment
{
    public uint A0, A1, A2, A3;
}

/// <summary>A lane's two words of the 8-column B tile (column-major, i.e. a latent's row along k): column g at words t
/// (B0) and t + 4 (B1).</summary>
internal struct BFragment
{
    public uint B0, B1;
}

/// <summary>A lane's fragments read from row-major tiles of words (rows of <c>stride</c> words): A's rows are tokens,
/// B's latents, both along k; the product at tile rows <c>row</c>, latents <c>latent</c>, from word <c>k</c> on, over
/// 8 words (8 k in TF32, 16 in BF16).</summary>
internal static class Fragments
{
    public static AFragment A(ArrayView<uint> a, int stride, int row, int k, int g, int t)
    {
        int low = (row + g) * stride + k + t, high = low + 8 * stride;
        return new AFragment { A0 = a[low], A1 = a[high], A2 = a[low + 4], A3 = a[high + 4] };
    }

    public static BFragment B(ArrayView<uint> b, int stride, int latent, int k, int g, int t)
    {
        int at = (latent + g) * stride + k + t;
        return new BFragment { B0 = b[at], B1 = b[at + 4] };
    }

    /// <summary>What <see cref="Mma.Run"/> adds to the lane's accumulator, read from the tiles directly.</summary>
    public static void Product(ref Accumulator c, ArrayView<uint> a, ArrayView<uint> b, int stride, int row, int latent, int k, int g, int t, bool bf16)
    {
        int low = (row + g) * stride + k, high = low + 8 * stride, left = (latent + 2 * t) * stride + k, right = left + stride;
        for (int i = 0; i < 8; i++) Mma.Add(ref c, a[low + i], a[high + i], b[left + i], b[right + i], bf16);
    }
}

/// <summary>
/// c += a·b for one warp's 16 × 8 tile over 8 words of k, fp32 accumulation: on CUDA one
/// <c>mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32</c> or <c>m16n8k16 … .bf16.bf16</c> (sm_80 and later);
/// elsewhere (ILGPU's CPU emulator with 32-lane warps, for tests) the same product from warp shuffles, each lane
/// gathering its rows of A and columns of B word by word. The inputs are already rounded (<see cref="Precisions"/>), so
/// their products are exact in fp32; only the order of the sums may differ between the two.
/// </summary>
internal static class Mma
{
    public static void Run(ref Accumulator c, AFragment a, BFragment b, bool bf16)
    {
        if (CudaAsm.IsSupported)
        {
            Ref<float> c0 = c.C0, c1 = c.C1, c2 = c.C2, c3 = c.C3;
            Input<uint> a0 = a.A0, a1 = a.A1, a2 = a.A2, a3 = a.A3, b0 = b.B0, b1 = b.B1;
            if (bf16)
                CudaAsm.EmitRef("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};",
                    ref c0, ref c1, ref c2, ref c3, ref a0, ref a1, ref a2, ref a3, ref b0, ref b1);
            else
                CudaAsm.EmitRef("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};",
                    ref c0, ref c1, ref c2, ref c3, ref a0, ref a1, ref a2, ref a3, ref b0, ref b1);
            (c.C0, c.C1, c.C2, c.C3) = (c0.Value, c1.Value, c2.Value, c3.Value);
            return;
        }
        int lane = Warp.LaneIdx, g = lane >> 2, t = lane & 3;
        for (int w = 0; w < 8; w++)
        {
            // A's word w of row r is lane (r % 8)·4 + w % 4's A0…A3 (by r ≥ 8, w ≥ 4); B's word w of column n is lane
            // n·4 + w % 4's B0 or B1. Every lane reads the same register at once, as a shuffle needs.
            int sourceA = g * 4 + (w & 3);
            uint low = Warp.Shuffle(w < 4 ? a.A0 : a.A2, sourceA), high = Warp.Shuffle(w < 4 ? a.A1 : a.A3, sourceA);
            uint bWord = w < 4 ? b.B0 : b.B1;
            uint left = Warp.Shuffle(bWord, 2 * t * 4 + (w & 3)), right = Warp.Shuffle(bWord, (2 * t + 1) * 4 + (w & 3));
            Add(ref c, low, high, left, right, bf16);
        }
    }

    /// <summary>One word of k: rows g and g + 8 of A times columns 2t and 2t + 1 of B.</summary>
    internal static void Add(ref Accumulator c, uint low, uint high, uint left, uint right, bool bf16)
    {
        c.C0 += Dot(low, left, bf16);
        c.C1 += Dot(low, right, bf16);
        c.C2 += Dot(high, left, bf16);
        c.C3 += Dot(high, right, bf16);
    }

    private static float Dot(uint x, uint y, bool bf16) => bf16
        ? Interop.IntAsFloat(x << 16) * Interop.IntAsFloat(y << 16) + Interop.IntAsFloat(x & 0xFFFF0000u) * Interop.IntAsFloat(y & 0xFFFF0000u)
        : Interop.IntAsFloat(x) * Interop.IntAsFloat(y);
}
