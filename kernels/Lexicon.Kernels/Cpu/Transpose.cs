using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lexicon.Kernels.Cpu;

/// <summary>8 × 8 float transposes in AVX registers, for packing W_enc's rows into the GEMM's [d][32] panels: a scalar
/// copy moves one float per load and store (the packing was ~2% of the W2 GEMM), this moves eight.</summary>
internal static unsafe class Transpose
{
    /// <summary>Where the 8 × 8 path runs: AVX, and a width of 256 bits or more in use (so a forced narrower width
    /// tests the scalar copy).</summary>
    public static bool Vectorized => Avx.IsSupported && SimdIsa.Current is SimdWidth.V256 or SimdWidth.V512;

    /// <summary>dst[j·dstStride + r] = src[r·srcStride + j] for r, j in [0, 8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block8(float* src, long srcStride, float* dst, long dstStride)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + 2 * srcStride);
        var r3 = Avx.LoadVector256(src + 3 * srcStride);
        var r4 = Avx.LoadVector256(src + 4 * srcStride);
        var r5 = Avx.LoadVector256(src + 5 * srcStride);
        var r6 = Avx.LoadVector256(src + 6 * srcStride);
        var r7 = Avx.LoadVector256(src + 7 * srcStride);
        // Pairs of rows interleaved, then pairs of pairs, then the 128-bit halves exchanged.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// Columns [0, done) of one GEMM input micro-panel, dst[i·R + r] = x[r·d + i] for r &lt; R ≤ 16, by 8 × 8 transposes
    /// of 8 rows at a time; returns done, where the caller's copy takes over. A transpose of 8 rows yields 8 lanes per
    /// column where R (or R − 8) are wanted: each column's store is a full 8 floats and the next column's store, at
    /// R floats further, overwrites the extra lanes — so columns go in order, the upper rows' transposes before the
    /// lower ones', and the last vector column block stops short of d (the caller's copy overwrites what it spilled).
    /// The rows past R that it reads belong to the next micro-panel: panels without 8 (16) rows left in x get 0.
    /// </summary>
    public static int MicroPanel(float* x, int rowsLeft, int d, float* dst, int tileRows)
    {
        int groups = tileRows > 8 ? 2 : 1;
        if (tileRows > 16 || rowsLeft < 8 * groups || d <= 8) return 0;
        int done = (d - 1) / 8 * 8;
        for (int i = 0; i < done; i += 8)
            for (int g = groups - 1; g >= 0; g--)
                Block8(x + (long)8 * g * d + i, d, dst + (long)i * tileRows + 8 * g, tileRows);
        return done;
    }
}
