using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// Row gradients of the touched pool rows from the entries grouped by row, as <see cref="TableGrads"/> does for tables
/// but weighted by each entry's activation: one pass over the sorted entries finds the touched rows, then each row is
/// summed by one thread in entry order.
/// </summary>
public static unsafe class PoolGrads
{
    public static void Run(int* start, int* order, int* index, float* value, int active, int poolRows, float* grad, float scale, int d,
        int* touched, float* rowGrads, int* touchedCount)
    {
        switch (SimdIsa.Current)
        {
            case SimdWidth.V512: Run<Vector512<float>, Simd512>(start, order, index, value, active, poolRows, grad, scale, d, touched, rowGrads, touchedCount); break;
            case SimdWidth.V256: Run<Vector256<float>, Simd256>(start, order, index, value, active, poolRows, grad, scale, d, touched, rowGrads, touchedCount); break;
            case SimdWidth.V128: Run<Vector128<float>, Simd128>(start, order, index, value, active, poolRows, grad, scale, d, touched, rowGrads, touchedCount); break;
            default: Run<float, SimdScalar>(start, order, index, value, active, poolRows, grad, scale, d, touched, rowGrads, touchedCount); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<V, S>(int* start, int* order, int* index, float* value, int active, int poolRows, float* grad, float scale, int d,
        int* touched, float* rowGrads, int* touchedCount) where V : struct where S : struct, ISimd<V>
    {
        int entries = start[poolRows];
        var first = new List<int>();
        int count = 0, previous = -1;
        for (int i = 0; i < entries; i++)
        {
            int row = index[order[i]];
            if (row == previous) continue;
            touched[count++] = row;
            first.Add(i);
            previous = row;
        }
        first.Add(entries);
        touchedCount[0] = count;
        CpuParallel.For(count, 32, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (u0, u1) =>
        {
            for (int u = u0; u < u1; u++)
            {
                float* g = rowGrads + (long)u * d;
                Simd.Zero(g, d);
                for (int i = first[u]; i < first[u + 1]; i++)
                    Simd.Axpy<V, S>(scale * value[order[i]], grad + (long)(order[i] / active) * d, g, d);
            }
        });
    }
}
