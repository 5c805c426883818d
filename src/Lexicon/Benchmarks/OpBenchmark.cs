using System.Diagnostics;
using Lexicon.Kernels;
using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks;

/// <summary>One kept variant of an operation: its check against the reference and, if it passed, its timing.</summary>
public sealed record VariantResult(KernelVariant Variant, IReadOnlyList<OutputCheck> Checks, double Milliseconds, double Gflops,
    double GBytesPerSecond, double RooflineFraction, string Bound)
{
    public bool Passed => Checks.All(c => c.Passed);
}

/// <summary>Result of <see cref="OpBenchmark.Run"/>; fractions are against roofs measured in the same run.</summary>
public sealed record OpBenchmarkResult(string Op, string Device, Workload Workload, int Seed, double FmaPeakGflops, double MemoryGBs,
    OpCost Cost, int Runs, IReadOnlyList<VariantResult> Variants);

/// <summary>
/// <c>lexicon bench --op</c>: every kept variant of one operation (or the one asked for) on fresh random inputs at a
/// workload's shape — the same inputs for every variant — first checked against the float64 reference
/// (<see cref="OpCheck"/>), then, if it passed, timed: the median of several calls, each synchronised, charged the
/// operation's cost model, as GFLOP/s, GB/s and the fraction of the device's FMA/bandwidth roofline measured before and
/// after the variants (and averaged, as <c>lexicon bench</c> does).
/// </summary>
public static class OpBenchmark
{
    /// <param name="variant">The kept variant to run, or 0 for all of them.</param>
    /// <param name="precision">The encoder GEMM's: under tf32 the compute roof is the tensor cores' peak.</param>
    public static OpBenchmarkResult Run(string? device, OpCase op, Workload w, int variant, int runs, Action<string>? progress = null,
        Kernels.Precision precision = Kernels.Precision.Fp32)
    {
        var chosen = variant == 0 ? Backends.Variants(device, op.Name) : [Backends.Variant(device, op.Name, variant)];
        int seed = Random.Shared.Next();
        var cost = op.Cost(w);
        double peakBefore = 0, peakAfter = 0, bandwidth = 0;
        var measured = new List<(KernelVariant Variant, OpCheck Check, double Seconds)>();
        string name = "";
        foreach (var v in chosen)
        {
            using var kernels = Backends.Create(device, op.Name, v.Number, precision);
            name = kernels.Name;
            // This variant's own: an ILGPU roofline runs on its backend, which is gone with the variant.
            var roofline = DeviceRoofline.For(kernels);
            if (v == chosen[0])
            {
                progress?.Invoke($"measuring the FMA peak and memory bandwidth of {kernels.Name}");
                (peakBefore, bandwidth) = (roofline.MeasureGemmPeakGflops(), roofline.MeasureBandwidthGBs());
            }
            progress?.Invoke($"variant {v.Number} ({v.Name}): inputs, run, check");
            var trial = op.Prepare(new OpInputs(kernels, w, Rng.Derive(seed, 0x0B)));
            trial.Run();
            kernels.Synchronize();
            var check = new OpCheck();
            trial.Check(check);
            progress?.Invoke($"variant {v.Number} ({v.Name}): timing {runs} calls");
            measured.Add((v, check, check.Passed ? MedianSeconds(kernels, trial, runs) : double.NaN));
            if (v == chosen[^1]) peakAfter = roofline.MeasureGemmPeakGflops();
        }
        double peak = FmaPeak.Of(peakBefore, peakAfter);
        var results = measured.Select(m => Result(m.Variant, m.Check, m.Seconds, cost, peak, bandwidth)).ToList();
        return new OpBenchmarkResult(op.Name, name, w, seed, peak, bandwidth, cost, runs, results);
    }

    private static double MedianSeconds(IKernels kernels, OpTrial trial, int runs)
    {
        var seconds = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            kernels.Synchronize();
            long start = Stopwatch.GetTimestamp();
            trial.Run();
            kernels.Synchronize();
            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(seconds);
        return seconds[runs / 2];
    }

    private static VariantResult Result(KernelVariant v, OpCheck check, double seconds, OpCost cost, double peakGflops, double bandwidthGBs)
    {
        if (double.IsNaN(seconds)) return new VariantResult(v, check.Outputs, double.NaN, double.NaN, double.NaN, double.NaN, "");
        var timing = new OpTiming(v.Name) { Calls = 1, Seconds = seconds, Flops = cost.Flops, Bytes = cost.Bytes };
        return new VariantResult(v, check.Outputs, seconds * 1e3, timing.Gflops, timing.GBytesPerSecond,
            timing.RooflineFraction(peakGflops, bandwidthGBs), timing.Bound(peakGflops, bandwidthGBs));
    }
}
