using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Lexicon.Benchmarks;

/// <summary>Sustained DRAM bandwidth on all cores: a STREAM-style triad (a = b + s·c) over arrays far larger than the
/// caches; bytes counted as 3 × 4 per element (two reads, one write). The roofline of memory-bound kernels. The arrays
/// are native and freed at once (not left to the GC), so they do not linger in the process's peak memory.</summary>
public static unsafe class MemoryBandwidth
{
    /// <summary>GB/s, median of <paramref name="repeats"/> passes.</summary>
    public static double Measure(int megabytesPerArray = 128, int repeats = 5)
    {
        int n = megabytesPerArray << 18;
        float* a = (float*)NativeMemory.AlignedAlloc((nuint)n * 4, 64);
        float* b = (float*)NativeMemory.AlignedAlloc((nuint)n * 4, 64);
        float* c = (float*)NativeMemory.AlignedAlloc((nuint)n * 4, 64);
        try
        {
            new Span<float>(a, n).Clear();
            new Span<float>(b, n).Fill(1);
            new Span<float>(c, n).Fill(2);
            int threads = Environment.ProcessorCount;
            void Pass() => Parallel.For(0, threads, t =>
            {
                int start = (int)((long)n * t / threads), end = (int)((long)n * (t + 1) / threads);
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(c + start, end - start), 3f,
                    new ReadOnlySpan<float>(b + start, end - start), new Span<float>(a + start, end - start));
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
        finally
        {
            NativeMemory.AlignedFree(a);
            NativeMemory.AlignedFree(b);
            NativeMemory.AlignedFree(c);
        }
    }
}
