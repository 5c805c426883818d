using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>Row gradients of the touched pool rows, as <see cref="TableGrads"/> does for tables but each entry weighted
/// by its activation: <see cref="TouchedRows"/> lists the rows, then one thread per (touched row, column) adds
/// scale·value·grad over the row's entries in entry order, without atomics.</summary>
internal sealed class PoolGrads(Accelerator accelerator, Launch launch, TouchedRows touchedRows)
{
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<int>, ArrayView<float>, int, ArrayView<float>, float, int, ArrayView<int>,
        ArrayView<int>, ArrayView<float>> _kernel =
        accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>, ArrayView<float>, int, ArrayView<float>, float, int, ArrayView<int>,
            ArrayView<int>, ArrayView<float>>(Kernel);

    /// <param name="touched">As long as the most rows the entries can touch.</param>
    /// <param name="heads">Scratch for <see cref="TouchedRows.Run"/>, as are headSlots and scanTemp.</param>
    public void Run(ArrayView<int> start, ArrayView<int> order, ArrayView<int> index, ArrayView<float> value, int active, int poolRows,
        ArrayView<float> grad, float scale, int d, ArrayView<int> touched, ArrayView<float> rowGrads, ArrayView<int> touchedCount,
        ArrayView<int> heads, ArrayView<int> headSlots, ArrayView<int> scanTemp)
    {
        touchedRows.Run(start, poolRows, order, index, touched, touchedCount, heads, headSlots, scanTemp);
        _kernel(launch.Elementwise(touched.Length * d), start, order, value, active, grad, scale, d, touched, touchedCount, rowGrads);
    }

    private static void Kernel(ArrayView<int> start, ArrayView<int> order, ArrayView<float> value, int active, ArrayView<float> grad,
        float scale, int d, ArrayView<int> touched, ArrayView<int> touchedCount, ArrayView<float> rowGrads)
    {
        long entries = TouchedStride.Entries(touched, touchedCount, d);
        for (long e = GridStride.First; e < entries; e += GridStride.Step)
        {
            int row = touched[e / d], i = (int)(e % d);
            float sum = 0;
            for (int s = start[row]; s < start[row + 1]; s++)
            {
                int entry = order[s];
                sum += scale * value[entry] * grad[(long)(entry / active) * d + i];
            }
            rowGrads[e] = sum;
        }
    }
}
