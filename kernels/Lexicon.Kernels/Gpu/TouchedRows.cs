using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The touched rows of entries grouped by row (start/order as <see cref="GroupByRow"/> builds them), ascending, and
/// their count, for <see cref="TableGrads"/> and <see cref="PoolGrads"/>: an entry of the sorted order heads its row's
/// run when the previous entry has another row; an inclusive integer scan of the heads (ILGPU.Algorithms, exact, so
/// deterministic) gives each run its slot in touched, and its last value is the count. The entry count
/// (start[rowCount]) stays on the device, so the kernels run over every possible entry and zero the heads past it.
/// </summary>
internal sealed class TouchedRows
{
    private readonly Accelerator _accelerator;
    private readonly Launch _launch;
    private readonly Action<KernelConfig, ArrayView<int>, int, ArrayView<int>, ArrayView<int>, ArrayView<int>> _heads;
    private readonly Scan<int, Stride1D.Dense, Stride1D.Dense> _scan;
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>> _scatter;

    public TouchedRows(Accelerator accelerator, Launch launch)
    {
        _accelerator = accelerator;
        _launch = launch;
        _heads = accelerator.LoadStreamKernel<ArrayView<int>, int, ArrayView<int>, ArrayView<int>, ArrayView<int>>(Heads);
        _scan = accelerator.CreateScan<int, Stride1D.Dense, Stride1D.Dense, AddInt32>(ScanKind.Inclusive);
        _scatter = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>, ArrayView<int>>(Scatter);
    }

    /// <param name="order">Every possible entry (its first start[rowCount] are grouped).</param>
    /// <param name="heads">Scratch of order.Length elements.</param>
    /// <param name="slots">Scratch of order.Length elements.</param>
    /// <param name="scanTemp">Scratch of <see cref="ScanTempLength"/> elements.</param>
    public void Run(ArrayView<int> start, int rowCount, ArrayView<int> order, ArrayView<int> index,
        ArrayView<int> touched, ArrayView<int> touchedCount, ArrayView<int> heads, ArrayView<int> slots, ArrayView<int> scanTemp)
    {
        var config = _launch.Elementwise(order.Length);
        _heads(config, start, rowCount, order, index, heads);
        _scan(_accelerator.DefaultStream, heads, slots, scanTemp);
        _scatter(config, order, index, heads, slots, touched, touchedCount);
    }

    public int ScanTempLength(long entries) => (int)_accelerator.ComputeScanTempStorageSize<int>(entries);

    private static void Heads(ArrayView<int> start, int rowCount, ArrayView<int> order, ArrayView<int> index, ArrayView<int> heads)
    {
        int entries = start[rowCount];
        for (long i = GridStride.First; i < heads.Length; i += GridStride.Step)
        {
            int head = 0;
            if (i < entries)
            {
                int row = index[order[i]];
                if (i == 0 || index[order[i - 1]] != row) head = 1;
            }
            heads[i] = head;
        }
    }

    private static void Scatter(ArrayView<int> order, ArrayView<int> index, ArrayView<int> heads, ArrayView<int> slots,
        ArrayView<int> touched, ArrayView<int> touchedCount)
    {
        for (long i = GridStride.First; i < heads.Length; i += GridStride.Step)
            if (heads[i] != 0) touched[slots[i] - 1] = index[order[i]];
        if (Grid.GlobalIndex.X == 0) touchedCount[0] = slots[slots.Length - 1];
    }
}
