using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>w[m] /= ‖w[m]‖; zero rows stay zero.</summary>
public static unsafe class NormalizeRows
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* w, int rowCount, int d)
    {
        CpuParallel.For(rowCount, 64, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (m0, m1) =>
        {
            for (int m = m0; m < m1; m++)
            {
                float* row = w + (long)m * d;
                float norm = MathF.Sqrt(Simd.Dot(row, row, d));
                if (norm == 0) continue;
                Simd.Scale(row, 1 / norm, d);
            }
        });
    }
}
