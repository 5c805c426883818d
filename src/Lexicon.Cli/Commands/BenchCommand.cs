using System.CommandLine;
using System.Text.Json.Nodes;
using Lexicon.Benchmarks;
using Lexicon.Kernels;
using Lexicon.Kernels.Gpu;
using Spectre.Console;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon bench</c>: training-step throughput at a standard workload as a fraction of the roofline, with
/// the selected device's FMA peak and memory bandwidth measured in the same run, and a per-kernel breakdown.</summary>
public static class BenchCommand
{
    private static readonly Option<string> WorkloadName = Options.Make("--workload", "W1 or W2 (DESIGN.md §8)", "W2");
    private static readonly Option<int> Steps = Options.Make("--steps", "Timed steps (the median is reported)", 10);

    public static Command Create() => Verb.Create("bench", "Kernel and step throughput as a fraction of the roofline", Run,
        WorkloadName, Steps, Options.Device);

    private static JsonObject Run(ParseResult p, CancellationToken cancel)
    {
        var workload = Workload.Parse(p.GetValue(WorkloadName)!);
        int steps = p.GetValue(Steps);
        if (steps < 1) throw new BadInputException($"--steps must be positive, got {steps}");
        using var kernels = Backends.Create(p.GetValue(Options.Device));
        var roofline = DeviceRoofline.For(kernels);
        var result = ProgressBar.Run($"bench {workload.Name}", report =>
        {
            report(0, $"measuring the FMA peak and memory bandwidth of {kernels.Name}");
            double peakBefore = roofline.MeasureFmaPeakGflops();
            double bandwidth = roofline.MeasureBandwidthGBs();
            // The workload's unigram table rides along where the backend has table kernels (the ILGPU backend has none yet).
            var r = StepBenchmark.Run(kernels, workload, peakBefore, bandwidth, steps,
                progress: (done, total) => report((double)done / total, $"step {done}/{total}"), unigramTable: kernels is ITableKernels);
            // The peak is measured before and after the steps; the median of the two (= mean) guards against drift.
            double peak = (peakBefore + roofline.MeasureFmaPeakGflops()) / 2;
            return StepBenchmark.Rescale(r, peak);
        });
        if (!p.GetValue(Verb.Json)) Print(result, kernels as IlgpuKernels);
        var json = ToJson(result);
        if (kernels is IlgpuKernels ilgpu)
        {
            json["device_name"] = ilgpu.Accelerator.Name;
            json["jit_seconds"] = ilgpu.CompileTime.TotalSeconds;
        }
        return json;
    }

    private static void Print(StepBenchmarkResult r, IlgpuKernels? ilgpu)
    {
        string device = ilgpu is null ? r.Device : $"{r.Device} ({Markup.Escape(ilgpu.Accelerator.Name)}; kernels compiled in {ilgpu.CompileTime.TotalSeconds:F1} s)";
        AnsiConsole.MarkupLine($"[bold]{r.Workload.Name}[/] d {r.Workload.D}, M {r.Workload.Latents}, k {r.Workload.K}, B {r.Workload.Batch} on {device}: " +
            $"{r.TokensPerSecond:N0} tokens/s = {r.RooflineFraction:P1} of the roofline ({r.RooflineTokensPerSecond:N0} at {r.FmaPeakGflops:F0} GFLOP/s)");
        var table = new Table().AddColumns("kernel", "ms/step", "share", "GFLOP/s", "GB/s", "roofline", "bound");
        foreach (var k in r.Kernels)
            table.AddRow(k.Name, $"{k.MillisecondsPerStep:F2}", $"{k.ShareOfStep:P1}", $"{k.Gflops:F1}", $"{k.GBytesPerSecond:F1}", $"{k.RooflineFraction:P1}", k.Bound);
        AnsiConsole.Write(table);
    }

    private static JsonObject ToJson(StepBenchmarkResult r) => new()
    {
        ["workload"] = r.Workload.Name,
        ["device"] = r.Device,
        ["d"] = r.Workload.D,
        ["latents"] = r.Workload.Latents,
        ["k"] = r.Workload.K,
        ["batch"] = r.Workload.Batch,
        ["tables"] = r.UnigramTable ? "unigram" : "none",
        ["steps"] = r.Steps,
        ["fma_peak_gflops"] = r.FmaPeakGflops,
        ["memory_gbs"] = r.MemoryGBs,
        ["step_ms"] = r.StepMilliseconds,
        ["tokens_per_s"] = r.TokensPerSecond,
        ["roofline_tokens_per_s"] = r.RooflineTokensPerSecond,
        ["roofline_fraction"] = r.RooflineFraction,
        ["kernels"] = new JsonArray(r.Kernels.Select(k => (JsonNode)new JsonObject
        {
            ["name"] = k.Name,
            ["ms_per_step"] = k.MillisecondsPerStep,
            ["share_of_step"] = k.ShareOfStep,
            ["gflops"] = k.Gflops,
            ["gbs"] = k.GBytesPerSecond,
            ["roofline_fraction"] = k.RooflineFraction,
            ["bound"] = k.Bound,
        }).ToArray()),
    };
}
