namespace Lexicon.Kernels.Cpu;

/// <summary>
/// Row gradients of the touched table rows from the entries grouped by row: one pass over the sorted entries finds the
/// touched rows (ascending), then each row's sum is owned by one thread and added in entry order — no lost updates,
/// no atomics, and no pass over the untouched rows of a large table.
/// </summary>
public static unsafe class TableGrads
{
    public static void Run(int* start, int* order, int* rowIndex, int slots, int totalRows, float* source, float scale, int d,
        int* touched, float* rowGrads, int* touchedCount)
    {
        int entries = start[totalRows];
        var first = new List<int>();
        int count = 0, previous = -1;
        for (int i = 0; i < entries; i++)
        {
            int row = rowIndex[order[i]];
            if (row == previous) continue;
            touched[count++] = row;
            first.Add(i);
            previous = row;
        }
        first.Add(entries);
        touchedCount[0] = count;
        CpuParallel.For(count, 32, (u0, u1) =>
        {
            for (int u = u0; u < u1; u++)
            {
                float* g = rowGrads + (long)u * d;
                Simd.Zero(g, d);
                for (int i = first[u]; i < first[u + 1]; i++)
                    Simd.Axpy(scale, source + (long)(order[i] / slots) * d, g, d);
            }
        });
    }
}
