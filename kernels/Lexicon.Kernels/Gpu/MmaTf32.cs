using ILGPU;
using ILGPU.Runtime.Cuda;

namespace Lexicon.Kernels.Gpu;

/// <summary>A warp's fragment of the 16 × 8 fp32 accumulator of <c>mma.m16n8k8</c>: lane (g = lane / 4, t = lane % 4)
/// holds rows g (C0, C1) and g + 8 (C2, C3) at columns 2t and 2t + 1.</summary>
internal struct Accumulator
{
    public float C0, C1, C2, C3;
}

/// <summary>A lane's four TF32 values of the 16 × 8 A tile (row-major): rows g, g + 8 at column t (A0, A1), then
/// column t + 4 (A2, A3).</summary>
internal struct AFragment
{
    public uint A0, A1, A2, A3;
}

/// <summary>A lane's two TF32 values of the 8 × 8 B tile (column-major): column g at rows t (B0) and t + 4 (B1).</summary>
internal struct BFragment
{
    public uint B0, B1;
}

/// <summary>A lane's fragments read from row-major tiles of TF32 bits (rows of <c>stride</c> values): A's rows are
/// tokens, B's latents, both along k; the 16 × 8 × 8 product at tile rows <c>row</c>, latents <c>latent</c>, k from
/// <c>k</c>.</summary>
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

    /// <summary>What <see cref="MmaTf32.Run"/> adds to the lane's accumulator, read from the tiles directly.</summary>
    public static void Product(ref Accumulator c, ArrayView<uint> a, ArrayView<uint> b, int stride, int row, int latent, int k, int g, int t)
    {
        int low = (row + g) * stride + k, high = low + 8 * stride, left = (latent + 2 * t) * stride + k, right = left + stride;
        for (int i = 0; i < 8; i++)
        {
            float lowA = Interop.IntAsFloat(a[low + i]), highA = Interop.IntAsFloat(a[high + i]);
            float leftB = Interop.IntAsFloat(b[left + i]), rightB = Interop.IntAsFloat(b[right + i]);
            c.C0 += lowA * leftB;
            c.C1 += lowA * rightB;
            c.C2 += highA * leftB;
            c.C3 += highA * rightB;
        }
    }
}

/// <summary>
/// c += a·b for one warp's 16 × 8 × 8 tile with TF32 inputs and fp32 accumulation: on CUDA one
/// <c>mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32</c> (sm_80 and later); elsewhere (ILGPU's CPU emulator with
/// 32-lane warps, for tests) the same product from warp shuffles, each lane gathering its rows of A and columns of B
/// over the eight k. The inputs are already TF32 (<see cref="Precisions.Tf32Bits"/>), so their products are exact in
/// fp32; only the order of the sums may differ between the two.
/// </summary>
internal static class MmaTf32
{
    public static void Run(ref Accumulator c, AFragment a, BFragment b)
    {
        if (CudaAsm.IsSupported)
        {
            Ref<float> c0 = c.C0, c1 = c.C1, c2 = c.C2, c3 = c.C3;
            Input<uint> a0 = a.A0, a1 = a.A1, a2 = a.A2, a3 = a.A3, b0 = b.B0, b1 = b.B1;
            CudaAsm.EmitRef("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, {%0, %1, %2, %3};",
                ref c0, ref c1, ref c2, ref c3, ref a0, ref a1, ref a2, ref a3, ref b0, ref b1);
            (c.C0, c.C1, c.C2, c.C3) = (c0.Value, c1.Value, c2.Value, c3.Value);
            return;
        }
        int lane = Warp.LaneIdx, g = lane >> 2, t = lane & 3;
        for (int k = 0; k < 8; k++)
        {
            // A[r][k] is lane (r % 8)·4 + k % 4's A0…A3 (by r ≥ 8, k ≥ 4); B[k][n] is lane n·4 + k % 4's B0 or B1.
            // Every lane reads the same register at once, as a shuffle needs.
            int sourceA = g * 4 + (k & 3);
            float low = Interop.IntAsFloat(Warp.Shuffle(k < 4 ? a.A0 : a.A2, sourceA));
            float high = Interop.IntAsFloat(Warp.Shuffle(k < 4 ? a.A1 : a.A3, sourceA));
            uint bRegister = k < 4 ? b.B0 : b.B1;
            float left = Interop.IntAsFloat(Warp.Shuffle(bRegister, 2 * t * 4 + (k & 3)));
            float right = Interop.IntAsFloat(Warp.Shuffle(bRegister, (2 * t + 1) * 4 + (k & 3)));
            c.C0 += low * left;
            c.C1 += low * right;
            c.C2 += high * left;
            c.C3 += high * right;
        }
    }
}
