using Lexicon.Benchmarks;
using Lexicon.Cli.Commands.Results;
using Spectre.Console;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon bench --op NAME [--variant N]</c>: one operation's kept variants, each checked against the float64
/// reference and then timed (<see cref="OpBenchmark"/>). A variant whose check fails is not timed, and the verb fails.</summary>
public static class BenchOp
{
    public static OpBenchResult Run(string? device, string op, int variant, Workload workload, int runs, bool json,
        Kernels.Precision precision = Kernels.Precision.Fp32)
    {
        var opCase = OpCase.Find(op);
        var result = ProgressBar.Run($"bench --op {opCase.Name}", report =>
            OpBenchmark.Run(device, opCase, workload, variant, runs, status => report(0, status), precision));
        if (!json) Print(result);
        var failed = result.Variants.Where(v => !v.Passed).ToList();
        if (failed.Count > 0)
            throw new InvalidOperationException(string.Join("; ", failed.Select(v =>
                $"variant {v.Variant.Number} ({v.Variant.Name}) of {result.Op} does not match the reference: " +
                string.Join(", ", v.Checks.Where(c => !c.Passed).Select(c => $"{c.Output} off by {c.Error:G3} > {c.Tolerance:G3} {c.Where}")))) +
                $" (inputs seed {result.Seed})");
        return Result(result);
    }

    private static void Print(OpBenchmarkResult r)
    {
        var w = r.Workload;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(r.Op)}[/] at {w.Name} (d {w.D}, M {w.Latents}, k {w.K}, B {w.Batch}, V {w.Vocab}) on {r.Device}: " +
            $"{r.Cost.Flops / 1e9:G4} GFLOP, {r.Cost.Bytes / 1e6:G4} MB a call; FMA peak {r.FmaPeakGflops:F0} GFLOP/s, bandwidth {r.MemoryGBs:F1} GB/s; " +
            $"checked against the float64 reference (fp32 within {OpCheck.Fp32Tolerance:G1} of the largest value, selections exact), " +
            $"then the median of {r.Runs} calls; inputs seed {r.Seed}");
        var table = new Table().AddColumns("#", "variant", "what it changes", "check", "ms", "GFLOP/s", "GB/s", "roofline", "bound");
        foreach (var v in r.Variants)
        {
            double worst = v.Checks.Where(c => c.Tolerance > 0).Select(c => c.Error).DefaultIfEmpty(0).Max();
            string check = v.Passed ? $"ok ({worst:E1})" : "[red]FAILED[/]";
            table.AddRow($"{v.Variant.Number}", Markup.Escape(v.Variant.Name), Markup.Escape(v.Variant.Change), check,
                $"{v.Milliseconds:F3}", $"{v.Gflops:F1}", $"{v.GBytesPerSecond:F1}", $"{v.RooflineFraction:P1}", v.Bound);
        }
        AnsiConsole.Write(table);
    }

    private static OpBenchResult Result(OpBenchmarkResult r) => new(r.Op,
        r.Device == "cpu" ? Lexicon.Kernels.Cpu.SimdIsa.IsaName(Lexicon.Kernels.Cpu.SimdIsa.Current) : null, r.Device == "cpu" ? Tuning.Current : null,
        r.Device, r.Workload.Name, r.Workload.D, r.Workload.Latents, r.Workload.K, r.Workload.Batch, r.Seed, r.Cost.Flops, r.Cost.Bytes, r.FmaPeakGflops,
        r.MemoryGBs, r.Runs, OpCheck.Fp32Tolerance, [.. r.Variants.Select(v => new OpBenchVariant(v.Variant.Number, v.Variant.Name, v.Variant.Change,
            [.. v.Checks.Select(c => new OpBenchCheck(c.Output, c.Error, c.Tolerance))], v.Milliseconds, v.Gflops, v.GBytesPerSecond, v.RooflineFraction,
            v.Bound))]);
}
