using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>y += alpha·x.</summary>
public static unsafe class AddScaled
{
    public static void Run(float* x, float alpha, float* y, long n)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(x, alpha, y, n); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(x, alpha, y, n); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(x, alpha, y, n); break;
            default: Run<float, SimdScalar>(x, alpha, y, n); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(float* x, float alpha, float* y, long n) where V : struct where S : struct, ISimd<V>
    {
        const int chunk = 1 << 16;
        CpuParallel.For((int)((n + chunk - 1) / chunk), 1, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c0, c1) =>
        {
            for (long start = (long)c0 * chunk; start < Math.Min(n, (long)c1 * chunk); start += chunk)
            {
                int length = (int)Math.Min(chunk, n - start);
                Simd.MultiplyAdd<V, S>(x + start, alpha, y + start, length);
            }
        });
    }
}
