using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// Row gradients of the touched table rows: <see cref="TouchedRows"/> lists them, then one thread per (touched row,
/// column) adds scale·source over the row's entries in entry order. Every output has one writer, so there are no
/// atomics and the sums do not depend on scheduling. The touched count stays on the device: the kernel is launched
/// for the most rows there can be and reads how many there are.
/// </summary>
internal sealed class TableGrads(Accelerator accelerator, Launch launch, TouchedRows touchedRows)
{
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<int>, int, ArrayView<float>, float, int, ArrayView<int>, ArrayView<int>,
        ArrayView<float>> _kernel =
        accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>, int, ArrayView<float>, float, int, ArrayView<int>, ArrayView<int>,
            ArrayView<float>>(Kernel);

    /// <param name="touched">As long as the most rows the entries can touch.</param>
    /// <param name="heads">Scratch for <see cref="TouchedRows.Run"/>, as are headSlots and scanTemp.</param>
    public void Run(ArrayView<int> start, ArrayView<int> order, ArrayView<int> rowIndex, int slots, int totalRows, ArrayView<float> source,
        float scale, int d, ArrayView<int> touched, ArrayView<float> rowGrads, ArrayView<int> touchedCount,
        ArrayView<int> heads, ArrayView<int> headSlots, ArrayView<int> scanTemp)
    {
        touchedRows.Run(start, totalRows, order, rowIndex, touched, touchedCount, heads, headSlots, scanTemp);
        _kernel(launch.Elementwise(touched.Length * d), start, order, slots, source, scale, d, touched, touchedCount, rowGrads);
    }

    private static void Kernel(ArrayView<int> start, ArrayView<int> order, int slots, ArrayView<float> source, float scale, int d,
        ArrayView<int> touched, ArrayView<int> touchedCount, ArrayView<float> rowGrads)
    {
        long entries = TouchedStride.Entries(touched, touchedCount, d);
        for (long e = GridStride.First; e < entries; e += GridStride.Step)
        {
            int row = touched[e / d], i = (int)(e % d);
            float sum = 0;
            for (int s = start[row]; s < start[row + 1]; s++)
                sum += scale * source[(long)(order[s] / slots) * d + i];
            rowGrads[e] = sum;
        }
    }
}
