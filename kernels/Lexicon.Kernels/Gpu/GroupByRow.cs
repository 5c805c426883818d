using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// Counting sort of entries by the row they select (a latent, a table row, a pool row): a histogram (integer atomics),
/// an exclusive scan of it into start (ILGPU.Algorithms), a placement that takes slots from per-row cursors (integer
/// atomics again, so entries land in their row's range in a racy order), and a final pass that sorts each row's range
/// by entry id: one group per row, each entry's slot being the count of smaller ids in the range. The result is
/// deterministic and ascending within each row, as the reference's.
/// </summary>
internal sealed class GroupByRow
{
    private readonly Accelerator _accelerator;
    private readonly Launch _launch;
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<int>> _count;
    private readonly Scan<int, Stride1D.Dense, Stride1D.Dense> _scan;
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<int>, ArrayView<int>> _place;
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<int>, int, ArrayView<int>> _sort;

    public GroupByRow(Accelerator accelerator, Launch launch)
    {
        _accelerator = accelerator;
        _launch = launch;
        _count = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>>(Count);
        _scan = accelerator.CreateScan<int, Stride1D.Dense, Stride1D.Dense, AddInt32>(ScanKind.Exclusive);
        _place = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>, ArrayView<int>>(Place);
        _sort = accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>, int, ArrayView<int>>(SortRanges);
    }

    /// <param name="index">The entries' rows (-1: an empty slot).</param>
    /// <param name="counts">Scratch of rowCount + 1 elements.</param>
    /// <param name="placed">Scratch of index.Length elements.</param>
    /// <param name="scanTemp">Scratch of <see cref="ScanTempLength"/> elements.</param>
    public void Run(ArrayView<int> index, int rowCount, ArrayView<int> start, ArrayView<int> order,
        ArrayView<int> counts, ArrayView<int> placed, ArrayView<int> scanTemp)
    {
        var stream = _accelerator.DefaultStream;
        counts.MemSetToZero(stream);
        _count(_launch.Elementwise(index.Length), index, counts);
        _scan(stream, counts, start, scanTemp); // start[rowCount] = all entries, since counts[rowCount] = 0
        start.CopyTo(stream, counts); // counts become the placement cursors
        _place(_launch.Elementwise(index.Length), index, counts, placed);
        _sort(_launch.PerItem(rowCount), start, placed, rowCount, order);
    }

    public int ScanTempLength(int rowCount) => (int)_accelerator.ComputeScanTempStorageSize<int>(rowCount + 1L);

    private static void Count(ArrayView<int> index, ArrayView<int> counts)
    {
        for (long e = GridStride.First; e < index.Length; e += GridStride.Step)
            if (index[e] >= 0) Atomic.Add(ref counts[index[e]], 1);
    }

    private static void Place(ArrayView<int> index, ArrayView<int> cursor, ArrayView<int> placed)
    {
        for (long e = GridStride.First; e < index.Length; e += GridStride.Step)
            if (index[e] >= 0) placed[Atomic.Add(ref cursor[index[e]], 1)] = (int)e;
    }

    /// <summary>Per row, order[start + #(ids in the range smaller than id)] = id. All threads read the same id at
    /// the same time (a broadcast), so a range of n entries costs n²/group-size cached loads.</summary>
    private static void SortRanges(ArrayView<int> start, ArrayView<int> placed, int rowCount, ArrayView<int> order)
    {
        for (int m = GroupStride.First(); m < rowCount; m += GroupStride.Step())
        {
            int first = start[m], n = start[m + 1] - first;
            for (int i = Group.IdxX; i < n; i += Group.DimX)
            {
                int id = placed[first + i], rank = 0;
                for (int j = 0; j < n; j++)
                    if (placed[first + j] < id) rank++;
                order[first + rank] = id;
            }
        }
    }
}
