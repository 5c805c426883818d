using System.Diagnostics;
using Lexicon.Kernels;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Benchmarks;

/// <summary>Per-kernel result of a step benchmark.</summary>
public sealed record KernelResult(string Name, double MillisecondsPerStep, double ShareOfStep, double Gflops, double GBytesPerSecond,
    double RooflineFraction, string Bound);

/// <summary>Result of <see cref="StepBenchmark.Run"/>; every fraction is against roofs measured in the same run.</summary>
public sealed record StepBenchmarkResult(Workload Workload, string Device, double FmaPeakGflops, double MemoryGBs, double StepMilliseconds,
    double TokensPerSecond, double RooflineTokensPerSecond, int Steps, IReadOnlyList<KernelResult> Kernels, bool UnigramTable,
    MemoryBudget Budget)
{
    public double RooflineFraction => TokensPerSecond / RooflineTokensPerSecond;

    /// <summary>The process's peak resident memory, read by the caller when the run is over (0 until then).</summary>
    public long PeakMemoryBytes { get; init; }

    /// <summary>The encoder GEMM alone, without top-k: the unfused EncoderGemm op on the step's own buffers after the
    /// steps, median of <see cref="StepBenchmark.GemmRepeats"/> calls (its FLOPs: 2·B·d·M at this process's M).</summary>
    public double GemmAloneMilliseconds { get; init; }

    public double GemmAloneFlops { get; init; }

    public double GemmAloneFractionOfPeak => GemmAloneMilliseconds > 0 ? GemmAloneFlops / (GemmAloneMilliseconds * 1e6) / FmaPeakGflops : 0;

    /// <summary>The encoder GEMM's FLOPs (2·B·d·M) over the time of the call that runs it in the step — EncodeTopK, the
    /// GEMM with the top-k of its output — as a share of the FMA peak.</summary>
    public double GemmFractionOfPeak => Encoder is { } e ? Workload.GemmFlops / (e.MillisecondsPerStep * 1e6) / FmaPeakGflops : 0;

    /// <summary>Everything but the encoder and its top-k (AuxK's selection, sparse decode and backward, tables, optimiser,
    /// small passes), as a share of the kernels' time.</summary>
    public double NonGemmShare => 1 - (Encoder?.ShareOfStep ?? 0);

    private KernelResult? Encoder => Kernels.FirstOrDefault(k => k.Name == nameof(IKernels.EncodeTopK));
}

/// <summary>
/// Times full training steps at a standard workload on random data (no store needed): median step time over the timed
/// steps, tokens/s, and the fraction of the roofline tokens/s = peak / (2·d·M); plus each kernel's share, GFLOP/s,
/// GB/s and fraction of its own roofline (compute or memory, whichever binds).
/// </summary>
public static class StepBenchmark
{
    public const int Warmup = 2;

    /// <summary>Timed calls of the GEMM alone (after one untimed).</summary>
    public const int GemmRepeats = 3;

    /// <param name="unigramTable">With the workload's unigram table (V rows; token ids drawn from a Zipf(1.1) law, as in text).</param>
    /// <param name="partition">How the steps are divided under mpiexec: each rank selects for its share of the batch, or
    /// owns a share of the latents.</param>
    public static StepBenchmarkResult Run(IKernels kernels, Workload w, double fmaPeakGflops, double memoryGBs, int steps = 10, int warmup = Warmup,
        Action<int, int>? progress = null, bool unigramTable = true, IPartition? partition = null)
    {
        var timed = new TimedKernels(kernels);
        var shape = new SaeShape(w.D, (partition ?? WholeBatch.Instance).Own(w.Latents).Count);
        using var sae = new DeviceSae(timed, shape);
        LoadRandomWeights(sae);
        var layout = new TableLayout(unigramTable ? TableSpec.Parse("unigram", w.Vocab, 1) : []);
        var tables = unigramTable ? new DeviceTables(timed, layout, w.D, w.Batch, [1e-2f]) : null;
        int kAux = w.D / 2;
        using var step = new TrainingStep(sae, w.Batch, w.K, kAux, 1f / 32, int.MaxValue, new KnownPart(timed, w.Batch, w.D, tables), w.Latents);
        if (partition is not null) step.Partition = partition;
        var rng = Rng.Derive(1, 0xBE);
        var x = new float[(long)w.Batch * w.D];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextGaussian();
        step.Buffers.X.CopyFromHost(x);
        tables?.UploadKeys(ZipfTokens(rng, w.Batch, w.Vocab));
        // Setup garbage (host copies) back to the OS before the steps, so peak memory is the step's own.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        var times = new List<double>();
        for (int s = 0; s < warmup + steps; s++)
        {
            if (s == warmup) timed.Reset();
            kernels.Synchronize();
            long start = Stopwatch.GetTimestamp();
            step.ComputeGradients(w.Batch, 1);
            step.Update(1e-4f);
            kernels.Synchronize();
            if (s >= warmup) times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            progress?.Invoke(s + 1, warmup + steps);
        }
        times.Sort();
        double median = times[times.Count / 2];
        double total = timed.Timings.Sum(t => t.Seconds);
        var perKernel = timed.Timings
            .OrderByDescending(t => t.Seconds)
            .Select(t => new KernelResult(t.Name, t.Seconds * 1e3 / steps, t.Seconds / total, t.Gflops, t.GBytesPerSecond,
                t.RooflineFraction(fmaPeakGflops, memoryGBs), t.Bound(fmaPeakGflops, memoryGBs)))
            .ToList();
        return new StepBenchmarkResult(w, kernels.Name, fmaPeakGflops, memoryGBs, median, w.Batch / (median / 1e3),
            fmaPeakGflops * 1e9 / w.GemmFlops * w.Batch, steps, perKernel, unigramTable, MemoryBudget.For(w, kAux, unigramTable))
        {
            GemmAloneMilliseconds = TimeGemmAlone(kernels, sae, step.Buffers, w.Batch),
            GemmAloneFlops = 2.0 * w.Batch * w.D * shape.Latents,
        };
    }

    /// <summary>The encoder GEMM without its top-k, on the step's xc, weights and pre (overwriting pre, which the steps
    /// are done with): the median of <see cref="GemmRepeats"/> calls, in ms.</summary>
    private static double TimeGemmAlone(IKernels kernels, DeviceSae sae, StepBuffers buffers, int rows)
    {
        var xc = buffers.Xc.Slice(0, (long)rows * sae.Shape.D);
        var pre = buffers.Pre.Slice(0, (long)rows * sae.Shape.Latents);
        var times = new double[GemmRepeats];
        for (int r = -1; r < GemmRepeats; r++)
        {
            kernels.Synchronize();
            long start = Stopwatch.GetTimestamp();
            kernels.EncoderGemm(xc, sae.WEnc, sae.BEnc, pre, rows, sae.Shape.D, sae.Shape.Latents);
            kernels.Synchronize();
            if (r >= 0) times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[GemmRepeats / 2];
    }

    /// <summary>The same measurement against another FMA peak (e.g. one re-measured after the steps).</summary>
    public static StepBenchmarkResult Rescale(StepBenchmarkResult r, double fmaPeakGflops) => r with
    {
        FmaPeakGflops = fmaPeakGflops,
        RooflineTokensPerSecond = fmaPeakGflops * 1e9 / r.Workload.GemmFlops * r.Workload.Batch,
        Kernels = r.Kernels.Select(k => k with
        {
            RooflineFraction = Math.Max(k.Gflops / fmaPeakGflops, k.GBytesPerSecond / r.MemoryGBs),
            Bound = k.Gflops / fmaPeakGflops >= k.GBytesPerSecond / r.MemoryGBs ? "compute" : "memory",
        }).ToList(),
    };

    private static int[] ZipfTokens(Rng rng, int count, int vocab)
    {
        var cumulative = new double[vocab];
        double total = 0;
        for (int t = 0; t < vocab; t++) cumulative[t] = total += Math.Pow(t + 1, -1.1);
        return Enumerable.Range(0, count).Select(_ =>
        {
            int t = Array.BinarySearch(cumulative, rng.NextDouble() * total);
            return t >= 0 ? t : Math.Min(~t, vocab - 1);
        }).ToArray();
    }

    /// <summary>Unit Gaussian decoder rows, W_enc = W_dec, zero biases; written row block by row block, so no host copy
    /// of the weights (hundreds of MB at the sweep's largest shapes) is ever made.</summary>
    private static void LoadRandomWeights(DeviceSae sae)
    {
        var shape = sae.Shape;
        var rng = Rng.Derive(1, 0xDEC);
        const int block = 256;
        var rows = new float[(long)block * shape.D];
        sae.Parameters.Clear();
        for (int m0 = 0; m0 < shape.Latents; m0 += block)
        {
            int count = Math.Min(block, shape.Latents - m0);
            for (int r = 0; r < count; r++)
            {
                var row = rows.AsSpan(r * shape.D, shape.D);
                double norm = 0;
                for (int i = 0; i < shape.D; i++)
                {
                    float v = (float)rng.NextGaussian();
                    row[i] = v;
                    norm += v * v;
                }
                for (int i = 0; i < shape.D; i++) row[i] /= (float)Math.Sqrt(norm);
            }
            var values = rows.AsSpan(0, count * shape.D);
            sae.WDec.Slice((long)m0 * shape.D, values.Length).CopyFromHost(values);
            sae.WEnc.Slice((long)m0 * shape.D, values.Length).CopyFromHost(values);
        }
    }
}
