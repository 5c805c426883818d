using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Benchmarks;

/// <summary>
/// The machine's fp32 FMA throughput on all cores: 12 independent Vector512 FMA chains per thread (enough to cover the
/// FMA latency on current cores), one thread per core. The roofline every CPU result is divided by.
/// </summary>
public static class FmaPeak
{
    /// <summary>GFLOP/s (an FMA counts 2), median of <paramref name="repeats"/> runs of about <paramref name="seconds"/>.</summary>
    public static double Measure(int threads = 0, double seconds = 0.3, int repeats = 3)
    {
        threads = threads > 0 ? threads : Environment.ProcessorCount;
        Chains(1000);
        long iterations = Calibrate(seconds);
        var results = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            // Dedicated threads released together: the thread pool may run two work items on one thread.
            using var go = new Barrier(threads + 1);
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
            {
                go.SignalAndWait();
                Chains(iterations);
            })).ToArray();
            foreach (var worker in workers) worker.Start();
            go.SignalAndWait();
            var clock = Stopwatch.StartNew();
            foreach (var worker in workers) worker.Join();
            results[r] = threads * iterations * 12.0 * Vector512<float>.Count * 2 / clock.Elapsed.TotalSeconds / 1e9;
        }
        Array.Sort(results);
        return results[repeats / 2];
    }

    private static long Calibrate(double seconds)
    {
        long iterations = 1 << 20;
        while (true)
        {
            var clock = Stopwatch.StartNew();
            Chains(iterations);
            if (clock.Elapsed.TotalSeconds > 0.05) return (long)(iterations * seconds / clock.Elapsed.TotalSeconds);
            iterations *= 4;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains(long iterations)
    {
        var a0 = Vector512.Create(1f);
        Vector512<float> a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        var m = Vector512.Create(0.999999f);
        var c = Vector512.Create(1e-6f);
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c);
            a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c);
            a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c);
            a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c);
            a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c);
            a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c);
            a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }
}
