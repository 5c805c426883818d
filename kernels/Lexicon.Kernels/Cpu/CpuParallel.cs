namespace Lexicon.Kernels.Cpu;

/// <summary>Static work splitting for the CPU kernels: [0, count) in contiguous ranges, one output element always
/// computed by one thread in one fixed order, so results do not depend on scheduling (runs are bit-reproducible).</summary>
internal static class CpuParallel
{
    public static int Threads { get; } = Environment.ProcessorCount;

    /// <summary>Calls body(start, end) on ranges of at least minChunk items, at most a few per thread.</summary>
    public static void For(int count, int minChunk, Action<int, int> body)
    {
        if (count <= 0) return;
        int chunks = Math.Clamp(count / Math.Max(1, minChunk), 1, Threads * 4);
        if (chunks == 1)
        {
            body(0, count);
            return;
        }
        Parallel.For(0, chunks, c => body((int)((long)count * c / chunks), (int)((long)count * (c + 1) / chunks)));
    }

    /// <summary>Calls body(chunk) for chunk in [0, chunks), one task each: for work already cut into balanced pieces.</summary>
    public static void ForEachChunk(int chunks, Action<int> body)
    {
        if (chunks == 1) body(0);
        else Parallel.For(0, chunks, body);
    }
}
