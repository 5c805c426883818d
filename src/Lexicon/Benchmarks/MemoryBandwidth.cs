using System.Diagnostics;
using System.Numerics.Tensors;

namespace Lexicon.Benchmarks;

/// <summary>Sustained DRAM bandwidth on all cores: a STREAM-style triad (a = b + s·c) over arrays far larger than the
/// caches; bytes counted as 3 × 4 per element (two reads, one write). The roofline of memory-bound kernels.</summary>
public static class MemoryBandwidth
{
    /// <summary>GB/s, median of <paramref name="repeats"/> passes.</summary>
    public static double Measure(int megabytesPerArray = 128, int repeats = 5)
    {
        int n = megabytesPerArray << 18;
        var a = new float[n];
        var b = new float[n];
        var c = new float[n];
        b.AsSpan().Fill(1);
        c.AsSpan().Fill(2);
        int threads = Environment.ProcessorCount;
        void Pass() => Parallel.For(0, threads, t =>
        {
            int start = (int)((long)n * t / threads), end = (int)((long)n * (t + 1) / threads);
            TensorPrimitives.MultiplyAdd(c.AsSpan(start, end - start), 3f, b.AsSpan(start, end - start), a.AsSpan(start, end - start));
        });
        Pass();
        var results = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            Pass();
            results[r] = 12.0 * n / clock.Elapsed.TotalSeconds / 1e9;
        }
        Array.Sort(results);
        return results[repeats / 2];
    }
}
