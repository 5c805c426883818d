using Lexicon.Benchmarks;
using Lexicon.Kernels.Cpu;

namespace Lexicon.Tests.Benchmarks;

/// <summary>The step benchmark times the encoder GEMM alone besides the steps, and charges it the FLOPs of the call it
/// made.</summary>
public sealed class StepBenchmarkTests
{
    [Fact]
    public void Step_benchmark_times_the_gemm_alone_and_charges_it_2_B_d_M()
    {
        var w = new Workload("tiny", 40, 200, 4, 37, 300, "a size off every tile");
        using var kernels = new CpuKernels();
        var r = StepBenchmark.Run(kernels, w, fmaPeakGflops: 100, memoryGBs: 10, steps: 1, warmup: 1);
        Assert.True(r.GemmAloneMilliseconds > 0, $"GEMM alone: {r.GemmAloneMilliseconds} ms");
        Assert.Equal(2.0 * 37 * 40 * 200, r.GemmAloneFlops);
        Assert.Equal(r.GemmAloneFlops / (r.GemmAloneMilliseconds * 1e6) / 100, r.GemmAloneFractionOfPeak, 12);
        var rescaled = StepBenchmark.Rescale(r, 200);
        Assert.Equal(r.GemmAloneFractionOfPeak / 2, rescaled.GemmAloneFractionOfPeak, 12);
    }
}
