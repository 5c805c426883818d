using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>y += alpha·x.</summary>
public static unsafe class AddScaled
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* x, float alpha, float* y, long n)
    {
        const int chunk = 1 << 16;
        CpuParallel.For((int)((n + chunk - 1) / chunk), 1, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c0, c1) =>
        {
            for (long start = (long)c0 * chunk; start < Math.Min(n, (long)c1 * chunk); start += chunk)
            {
                int length = (int)Math.Min(chunk, n - start);
                Simd.MultiplyAdd(x + start, alpha, y + start, length);
            }
        });
    }
}
