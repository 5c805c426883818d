using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>dBDec = Σ_b grad[b] − Σ_m dBEnc[m]·wEnc[m]. Rows and latents are cut into a fixed number of contiguous
/// ranges (not one per thread: the sums must not depend on the core count), each summed in order into its own partial
/// row while streaming its rows sequentially; the partials are then added in range order.</summary>
public static unsafe class DecoderBiasGrad
{
    private const int Ranges = 8;

    public static void Run(float* grad, int rows, float* wEnc, float* dBEnc, int latents, int d, float* dBDec)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(grad, rows, wEnc, dBEnc, latents, d, dBDec); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(grad, rows, wEnc, dBEnc, latents, d, dBDec); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(grad, rows, wEnc, dBEnc, latents, d, dBDec); break;
            default: Run<float, SimdScalar>(grad, rows, wEnc, dBEnc, latents, d, dBDec); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(float* grad, int rows, float* wEnc, float* dBEnc, int latents, int d, float* dBDec) where V : struct where S : struct, ISimd<V>
    {
        var partials = new float[2 * Ranges * d];
        fixed (float* partial = partials)
        {
            float* p = partial;
            CpuParallel.ForEachChunk(2 * Ranges, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (task) =>
            {
                float* acc = p + (long)task * d;
                int r = task % Ranges;
                if (task < Ranges)
                {
                    int b0 = (int)((long)rows * r / Ranges), b1 = (int)((long)rows * (r + 1) / Ranges);
                    for (int b = b0; b < b1; b++) Simd.Axpy<V, S>(1, grad + (long)b * d, acc, d);
                }
                else
                {
                    int m0 = (int)((long)latents * r / Ranges), m1 = (int)((long)latents * (r + 1) / Ranges);
                    for (int m = m0; m < m1; m++)
                        if (dBEnc[m] != 0) Simd.Axpy<V, S>(-dBEnc[m], wEnc + (long)m * d, acc, d);
                }
            });
            Simd.Zero(dBDec, d);
            for (int task = 0; task < 2 * Ranges; task++) Simd.Axpy<V, S>(1, p + (long)task * d, dBDec, d);
        }
    }
}
