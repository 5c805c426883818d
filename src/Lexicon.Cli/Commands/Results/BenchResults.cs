using System.Text.Json.Serialization;
using Lexicon.Benchmarks;

namespace Lexicon.Cli.Commands.Results;

/// <summary>bench --json: one workload's step throughput against the roofline, the memory it took, each kernel's part;
/// the CPU's tuning on the CPU backend, the device and JIT time on an ILGPU one.</summary>
public sealed record BenchResult(string Workload, string Device, int D, int Latents, int K, int Batch, string Tables, int Steps, double FmaPeakGflops,
    double MemoryGbs, double StepMs, double TokensPerS, double RooflineTokensPerS, double RooflineFraction, double GemmFractionOfPeak, double NonGemmShare,
    long PeakMemoryBytes, long MemoryBudgetBytes, double MemoryRatio, MemoryBudgetParts MemoryBudgetParts, IReadOnlyList<BenchKernel> Kernels)
{
    public string? Isa { get; init; }

    /// <summary>The encoder GEMM's precision; fma_peak_gflops is the peak of the instruction it runs on: fp32 FMA, or
    /// under tf32 the tensor cores' mma.sync.</summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>The encoder GEMM without its top-k (the unfused op on the step's buffers, after the steps); the
    /// gemm_fraction_of_peak above is the fused EncodeTopK's, in the step.</summary>
    public double GemmAloneMs { get; init; }
    public double GemmAloneFractionOfPeak { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Tuning? Tuning { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DeviceName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? JitSeconds { get; init; }

    public static BenchResult Of(StepBenchmarkResult r) => new(r.Workload.Name, r.Device, r.Workload.D, r.Workload.Latents, r.Workload.K,
        r.Workload.Batch, r.UnigramTable ? "unigram" : "none", r.Steps, r.FmaPeakGflops, r.MemoryGBs, r.StepMilliseconds, r.TokensPerSecond,
        r.RooflineTokensPerSecond, r.RooflineFraction, r.GemmFractionOfPeak, r.NonGemmShare, r.PeakMemoryBytes, r.Budget.Bytes,
        (double)r.PeakMemoryBytes / r.Budget.Bytes, new MemoryBudgetParts(r.Budget.ParameterBytes, r.Budget.TableBytes, r.Budget.BatchBytes),
        [.. r.Kernels.Select(k => new BenchKernel(k.Name, k.MillisecondsPerStep, k.ShareOfStep, k.Gflops, k.GBytesPerSecond, k.RooflineFraction, k.Bound))])
    {
        GemmAloneMs = r.GemmAloneMilliseconds,
        GemmAloneFractionOfPeak = r.GemmAloneFractionOfPeak,
    };
}

public sealed record MemoryBudgetParts(long ParametersGradientsMoments, long TableAndMoments, long BatchBuffers);

public sealed record BenchKernel(string Name, double MsPerStep, double ShareOfStep, double Gflops, double Gbs, double RooflineFraction, string Bound);

/// <summary>bench --sweep --json: tokens/s and roofline fraction over widths and SAE sizes.</summary>
public sealed record SweepBenchResult(bool Sweep, string Device, string? Isa, Tuning? Tuning, int Batch, int K, string Tables, int Vocab, int Steps,
    double FmaPeakGflopsBefore, double FmaPeakGflopsAfter, double FmaPeakGflops, double MemoryGbs, double MinRooflineFraction,
    IReadOnlyList<SweepBenchPoint> Points, long PeakMemoryBytes)
{
    /// <summary>As <see cref="BenchResult.Precision"/>.</summary>
    public string Precision { get; init; } = "fp32";
}

public sealed record SweepBenchPoint(int D, int Latents, double StepMs, double TokensPerS, double RooflineFraction, double GemmFractionOfPeak,
    double GemmAloneFractionOfPeak,
    double NonGemmShare);

/// <summary>bench --op --json: each kept variant of one operation, its checks against the reference and its timing.</summary>
public sealed record OpBenchResult(string Op, string? Isa, Tuning? Tuning, string Device, string Workload, int D, int Latents, int K, int Batch,
    int Seed, double Flops, double Bytes, double FmaPeakGflops, double MemoryGbs, int Runs, double Tolerance, IReadOnlyList<OpBenchVariant> Variants);

public sealed record OpBenchVariant(int Number, string Name, string Change, IReadOnlyList<OpBenchCheck> Checks, double Ms, double Gflops, double Gbs,
    double RooflineFraction, string Bound);

public sealed record OpBenchCheck(string Output, double Error, double Tolerance);
