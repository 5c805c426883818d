using System.CommandLine;
using Lexicon.Benchmarks;
using Lexicon.Cli.Commands.Results;
using Lexicon.Kernels;
using Lexicon.Kernels.Gpu;
using Spectre.Console;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon bench</c>: training-step throughput at a standard workload as a fraction of the roofline, with
/// the selected device's FMA peak and memory bandwidth measured in the same run, and a per-kernel breakdown; or, with
/// --op, one operation's kept variants checked and timed (<see cref="BenchOp"/>).</summary>
public static class BenchCommand
{
    private static readonly Option<string> WorkloadName = Options.Make("--workload", "W1 or W2 (DESIGN.md §8)", "W2");
    private static readonly Option<int> Steps = Options.Make("--steps", "Timed steps (the median is reported; default 10, 3 per point with --sweep)", 0,
        Check.AtLeast(0));
    private static readonly Option<bool> Sweep = Options.Make("--sweep",
        "Instead of one workload: tokens/s and roofline fraction over M in {2048 … 65536} × d in {256, 512, 1024} (B 4096, k 32, unigram table)", false);

    private static readonly Option<string?> Op = Options.Optional<string?>("--op",
        "Instead of a step: one operation (EncodeTopK, TopK, SparseWeightGrads, …), each kept variant checked against the float64 reference, then timed",
        Check.NotEmpty);
    private static readonly Option<int> Variant = Options.Make("--variant", "With --op: only this kept variant (numbered as listed; default all)", 0,
        Check.AtLeast(0));

    public static Command Create() => Verb.Create("bench", "Kernel and step throughput as a fraction of the roofline", Run,
        WorkloadName, Steps, Sweep, Op, Variant, ParallelTraining.Flag, Options.Device, Options.Precision);

    private static object Run(ParseResult p, CancellationToken cancel)
    {
        var workload = Workload.Parse(p.GetValue(WorkloadName)!);
        int steps = p.GetValue(Steps);
        if (p.GetValue(Op) is { } op)
        {
            if (p.GetValue(Sweep)) throw new BadInputException("--op and --sweep do not go together");
            if (Ranks.World is not null) throw new BadInputException("--op", "runs in one process; under mpiexec bench times the step (--workload)");
            return BenchOp.Run(p.GetValue(Options.Device), op, p.GetValue(Variant), workload, steps == 0 ? 10 : steps, p.GetValue(Verb.Json),
                Options.PrecisionOf(p));
        }
        if (p.GetValue(Variant) != 0) throw new BadInputException("--variant goes with --op");
        if (Ranks.World is not null && p.GetValue(Sweep)) throw new BadInputException("--sweep", "runs in one process; under mpiexec bench times the step (--workload)");
        using var kernels = Options.Kernels(p);
        if (p.GetValue(Sweep)) return RunSweep(p, kernels, steps == 0 ? 3 : steps);
        if (steps == 0) steps = 10;
        var roofline = DeviceRoofline.For(kernels);
        string mode = p.GetValue(ParallelTraining.Flag)!;
        var partition = ParallelTraining.Partition(mode, workload.Latents, workload.K);
        var result = ParallelTraining.Progress($"bench {workload.Name}", report =>
        {
            report(0, $"measuring the FMA peak and memory bandwidth of {kernels.Name}");
            double peakBefore = roofline.MeasureGemmPeakGflops();
            double bandwidth = roofline.MeasureBandwidthGBs();
            var r = StepBenchmark.Run(kernels, workload, peakBefore, bandwidth, steps,
                progress: (done, total) => report((double)done / total, $"step {done}/{total}"), partition: partition);
            double peak = FmaPeak.Of(peakBefore, roofline.MeasureGemmPeakGflops());
            return StepBenchmark.Rescale(r, peak) with { PeakMemoryBytes = PeakMemory.Bytes() };
        });
        if (!p.GetValue(Verb.Json) && Ranks.Lead) Print(result, kernels as IlgpuKernels, kernels.Precision);
        var ilgpu = kernels as IlgpuKernels;
        var json = Verb.ToJson(BenchResult.Of(result) with
        {
            Isa = Backends.Isa(kernels),
            Precision = Precisions.Name(kernels.Precision),
            Tuning = kernels is Lexicon.Kernels.Cpu.CpuKernels ? Tuning.Current : null,
            DeviceName = ilgpu?.Accelerator.Name,
            JitSeconds = ilgpu?.CompileTime.TotalSeconds,
        });
        ParallelTraining.DescribeBench(json, steps + StepBenchmark.Warmup, mode);
        return json;
    }

    private static SweepBenchResult RunSweep(ParseResult p, IKernels kernels, int steps)
    {
        var roofline = DeviceRoofline.For(kernels);
        int total = SweepBenchmark.Widths.Length * SweepBenchmark.Sizes.Length;
        bool json = p.GetValue(Verb.Json);
        var result = ProgressBar.Run("bench --sweep", report =>
        {
            report(0, $"measuring the FMA peak and memory bandwidth of {kernels.Name}");
            return SweepBenchmark.Run(kernels, roofline, steps,
                progress: (done, all, point) => report((double)done / all,
                    $"d {point.D}, M {point.Latents}: {point.TokensPerSecond:N0} tokens/s, {point.RooflineFraction:P0} of the roofline"));
        });
        if (!json)
        {
            AnsiConsole.MarkupLine($"[bold]sweep[/] B {result.Batch}, k {result.K}, {(result.UnigramTable ? $"unigram table V {result.Vocab}" : "no table")}, " +
                $"{result.Steps} timed steps per point on {kernels.Name}; FMA peak {result.FmaPeakBeforeGflops:F0} before, {result.FmaPeakAfterGflops:F0} GFLOP/s after " +
                $"({total} points): min roofline fraction {result.MinRooflineFraction:P1}");
            var table = new Table().AddColumns("d", "M", "ms/step", "tokens/s", "roofline", "GEMM (EncodeTopK) of peak", "GEMM alone", "non-GEMM share");
            foreach (var point in result.Points)
                table.AddRow($"{point.D}", $"{point.Latents}", $"{point.StepMilliseconds:F1}", $"{point.TokensPerSecond:N0}", $"{point.RooflineFraction:P1}",
                    $"{point.GemmFractionOfPeak:P1}", $"{point.GemmAloneFractionOfPeak:P1}", $"{point.NonGemmShare:P1}");
            AnsiConsole.Write(table);
        }
        return new SweepBenchResult(true, kernels.Name, Backends.Isa(kernels), kernels is Lexicon.Kernels.Cpu.CpuKernels ? Tuning.Current : null,
            result.Batch, result.K, result.UnigramTable ? "unigram" : "none", result.Vocab, result.Steps, result.FmaPeakBeforeGflops,
            result.FmaPeakAfterGflops, result.FmaPeakGflops, result.MemoryGBs, result.MinRooflineFraction,
            [.. result.Points.Select(point => new SweepBenchPoint(point.D, point.Latents, point.StepMilliseconds, point.TokensPerSecond,
                point.RooflineFraction, point.GemmFractionOfPeak, point.GemmAloneFractionOfPeak, point.NonGemmShare))], PeakMemory.Bytes())
        {
            Precision = Precisions.Name(kernels.Precision),
        };
    }

    private static void Print(StepBenchmarkResult r, IlgpuKernels? ilgpu, Precision precision)
    {
        string peak = precision == Precision.Fp32 ? "the FMA peak" : $"the {Precisions.Name(precision).ToUpperInvariant()} tensor-core peak";
        string device = ilgpu is null ? (r.Device == "cpu" ? $"cpu ({Lexicon.Kernels.Cpu.SimdIsa.IsaName(Lexicon.Kernels.Cpu.SimdIsa.Current)})" : r.Device) : $"{r.Device} ({Markup.Escape(ilgpu.Accelerator.Name)}; kernels compiled in {ilgpu.CompileTime.TotalSeconds:F1} s)";
        AnsiConsole.MarkupLine($"[bold]{r.Workload.Name}[/] d {r.Workload.D}, M {r.Workload.Latents}, k {r.Workload.K}, B {r.Workload.Batch} on {device}: " +
            $"{r.TokensPerSecond:N0} tokens/s = {r.RooflineFraction:P1} of the roofline ({r.RooflineTokensPerSecond:N0} at {peak}, {r.FmaPeakGflops:F0} GFLOP/s)");
        var table = new Table().AddColumns("kernel", "ms/step", "share", "GFLOP/s", "GB/s", "roofline", "bound");
        foreach (var k in r.Kernels)
            table.AddRow(k.Name, $"{k.MillisecondsPerStep:F2}", $"{k.ShareOfStep:P1}", $"{k.Gflops:F1}", $"{k.GBytesPerSecond:F1}", $"{k.RooflineFraction:P1}", k.Bound);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"The encoder GEMM alone at {r.GemmAloneFractionOfPeak:P1} of {peak} ({r.GemmAloneMilliseconds:F1} ms, after the steps); " +
            $"in the step, with its top-k (EncodeTopK), {r.GemmFractionOfPeak:P1}; everything else {r.NonGemmShare:P1} of the step. " +
            $"Peak memory {r.PeakMemoryBytes / 1048576.0:N0} MiB = {(double)r.PeakMemoryBytes / r.Budget.Bytes:F2}× the budget of {r.Budget.Bytes / 1048576.0:N0} MiB " +
            $"(parameters, gradients, moments {r.Budget.ParameterBytes / 1048576.0:N0}; table and moments {r.Budget.TableBytes / 1048576.0:N0}; " +
            $"one batch's buffers {r.Budget.BatchBytes / 1048576.0:N0})");
    }
}
