using System.Diagnostics;
using Lexicon.Kernels.Cpu;

namespace Lexicon.Benchmarks;

/// <summary>
/// The machine's fp32 FMA throughput on all cores at the vector width the CPU kernels run at (<see cref="SimdIsa.Current"/>):
/// <see cref="FmaProbe"/>'s independent FMA chains (each chain count it has for this ISA), one thread per core. The
/// roofline every CPU result is divided by.
/// </summary>
public static class FmaPeak
{
    /// <summary>GFLOP/s (an FMA counts 2), the best of <paramref name="repeats"/> runs of about <paramref name="seconds"/>
    /// per chain count: another tenant's load can only slow a run, so the fastest is the nearest to what the machine can do.</summary>
    public static double Measure(int threads = 0, double seconds = 0.3, int repeats = 3) =>
        FmaProbe.ChainCounts().Max(chains => Measure(threads, seconds, repeats, chains));

    /// <summary>The same with one chain count.</summary>
    public static double Measure(int threads, double seconds, int repeats, int chains)
    {
        threads = threads > 0 ? threads : Environment.ProcessorCount;
        var width = SimdIsa.Current;
        FmaProbe.Run(width, 1000, chains);
        long iterations = Calibrate(width, seconds, chains);
        var results = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            // Dedicated threads released together: the thread pool may run two work items on one thread.
            using var go = new Barrier(threads + 1);
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
            {
                go.SignalAndWait();
                FmaProbe.Run(width, iterations, chains);
            })).ToArray();
            foreach (var worker in workers) worker.Start();
            go.SignalAndWait();
            var clock = Stopwatch.StartNew();
            foreach (var worker in workers) worker.Join();
            results[r] = threads * iterations * FmaProbe.FlopsPerIteration(width, chains) / clock.Elapsed.TotalSeconds / 1e9;
        }
        return results.Max();
    }

    /// <summary>The roof a run is divided by, from the peaks measured before and after it: the higher (a dip in one is
    /// load from elsewhere, and the lower would put a result above its roof).</summary>
    public static double Of(double before, double after) => Math.Max(before, after);

    private static long Calibrate(SimdWidth width, double seconds, int chains)
    {
        long iterations = 1 << 20;
        while (true)
        {
            var clock = Stopwatch.StartNew();
            FmaProbe.Run(width, iterations, chains);
            if (clock.Elapsed.TotalSeconds > 0.05) return (long)(iterations * seconds / clock.Elapsed.TotalSeconds);
            iterations *= 4;
        }
    }
}
