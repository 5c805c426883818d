using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>Counting sort of entries by the row they select (count, prefix sum, place in entry order): O(entries + rows),
/// stable, so each row's gradient is later summed in one fixed order. Many entries per row (the main selection by
/// latent): each core counts and places a contiguous range of entries, each range's slots within a row following those
/// of the ranges before it — the same order as one pass, whatever the number of ranges.</summary>
public static unsafe class GroupByRow
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int* index, int count, int rowCount, int* start, int* order)
    {
        int ranges = Math.Min(CpuParallel.Threads, count / Math.Max(1, 4 * rowCount));
        if (ranges < 2)
        {
            Sequential(index, count, rowCount, start, order);
            return;
        }
        // next[r][m]: where range r places its next entry of row m.
        var next = new int[ranges * rowCount];
        fixed (int* slots = next)
        {
            int* p = slots;
            CpuParallel.ForEachChunk(ranges, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (r) =>
            {
                int* counts = p + r * rowCount;
                for (int e = (int)((long)count * r / ranges), end = (int)((long)count * (r + 1) / ranges); e < end; e++)
                    if (index[e] >= 0) counts[index[e]]++;
            });
            int total = 0;
            for (int m = 0; m < rowCount; m++)
            {
                start[m] = total;
                for (int r = 0; r < ranges; r++)
                {
                    int c = p[r * rowCount + m];
                    p[r * rowCount + m] = total;
                    total += c;
                }
            }
            start[rowCount] = total;
            CpuParallel.ForEachChunk(ranges, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (r) =>
            {
                int* place = p + r * rowCount;
                for (int e = (int)((long)count * r / ranges), end = (int)((long)count * (r + 1) / ranges); e < end; e++)
                {
                    int m = index[e];
                    if (m >= 0) order[place[m]++] = e;
                }
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sequential(int* index, int count, int rowCount, int* start, int* order)
    {
        new Span<int>(start, rowCount + 1).Clear();
        for (int e = 0; e < count; e++)
            if (index[e] >= 0) start[index[e] + 1]++;
        for (int m = 0; m < rowCount; m++) start[m + 1] += start[m];
        var next = new int[rowCount];
        new ReadOnlySpan<int>(start, rowCount).CopyTo(next);
        for (int e = 0; e < count; e++)
        {
            int m = index[e];
            if (m >= 0) order[next[m]++] = e;
        }
    }
}
