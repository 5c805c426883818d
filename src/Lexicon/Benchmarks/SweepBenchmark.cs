using Lexicon.Kernels;

namespace Lexicon.Benchmarks;

/// <summary>One point of <see cref="SweepBenchmark"/>.</summary>
public sealed record SweepPoint(int D, int Latents, double StepMilliseconds, double TokensPerSecond, double RooflineFraction,
    double GemmFractionOfPeak, double GemmAloneFractionOfPeak, double NonGemmShare);

/// <summary>Result of <see cref="SweepBenchmark.Run"/>: the FMA peak measured before and after all points (the higher is
/// every point's roof).</summary>
public sealed record SweepResult(double FmaPeakBeforeGflops, double FmaPeakAfterGflops, double MemoryGBs, int Batch, int K, int Vocab,
    bool UnigramTable, int Steps, IReadOnlyList<SweepPoint> Points)
{
    public double FmaPeakGflops => (FmaPeakBeforeGflops + FmaPeakAfterGflops) / 2;
    public double MinRooflineFraction => Points.Count == 0 ? 0 : Points.Min(p => p.RooflineFraction);
}

/// <summary>
/// Does a step cost grow linearly in d·M? Full training steps (unigram table included) over a grid of widths and SAE
/// sizes at B 4096, k 32, a few timed steps per point, each point's tokens/s against the roofline peak / (2·d·M) with the
/// FMA peak measured once before and once after the whole grid.
/// </summary>
public static class SweepBenchmark
{
    public static readonly int[] Widths = [256, 512, 1024];
    public static readonly int[] Sizes = [2048, 4096, 8192, 16384, 32768, 65536];

    public static SweepResult Run(IKernels kernels, IDeviceRoofline roofline, int steps = 3, int batch = 4096, int k = 32, int vocab = 50257,
        bool unigramTable = true, Action<int, int, SweepPoint>? progress = null)
    {
        double before = roofline.MeasureGemmPeakGflops();
        double bandwidth = roofline.MeasureBandwidthGBs();
        var raw = new List<StepBenchmarkResult>();
        int total = Widths.Length * Sizes.Length;
        foreach (int d in Widths)
            foreach (int m in Sizes)
            {
                var w = new Workload($"d{d}-M{m}", d, m, k, batch, vocab, "sweep point");
                var r = StepBenchmark.Run(kernels, w, before, bandwidth, steps, warmup: 1, unigramTable: unigramTable);
                raw.Add(r);
                progress?.Invoke(raw.Count, total, Point(r));
            }
        double after = roofline.MeasureGemmPeakGflops();
        double peak = FmaPeak.Of(before, after);
        return new SweepResult(before, after, bandwidth, batch, k, vocab, unigramTable, steps,
            raw.Select(r => Point(StepBenchmark.Rescale(r, peak))).ToList());
    }

    private static SweepPoint Point(StepBenchmarkResult r) =>
        new(r.Workload.D, r.Workload.Latents, r.StepMilliseconds, r.TokensPerSecond, r.RooflineFraction, r.GemmFractionOfPeak, r.GemmAloneFractionOfPeak,
            r.NonGemmShare);
}
