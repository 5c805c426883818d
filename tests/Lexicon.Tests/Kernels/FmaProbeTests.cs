using Lexicon.Kernels.Cpu;

namespace Lexicon.Tests.Kernels;

/// <summary>The roofline's FMA loops: each sums all its chains, and the 24-chain one is measured only where 32
/// registers hold it.</summary>
public sealed class FmaProbeTests
{
    [Theory]
    [InlineData(SimdWidth.V512)]
    [InlineData(SimdWidth.V256)]
    [InlineData(SimdWidth.V128)]
    [InlineData(SimdWidth.Scalar)]
    public void Each_loop_sums_one_per_lane_of_each_of_its_chains(SimdWidth width)
    {
        // The chains start at 1, the fixed point of x·0.999999 + 1e-6 in fp32, so each lane of each chain ends at 1.
        for (long iterations = 0; iterations <= 1000; iterations += 333)
        {
            Assert.Equal(FmaProbe.Chains * SimdIsa.Lanes(width), FmaProbe.Run(width, iterations, FmaProbe.Chains));
            Assert.Equal(FmaProbe.WideChains * SimdIsa.Lanes(width), FmaProbe.Run(width, iterations, FmaProbe.WideChains));
        }
        Assert.Equal(2 * FmaProbe.FlopsPerIteration(width), FmaProbe.FlopsPerIteration(width, FmaProbe.WideChains));
    }

    [Fact]
    public void The_wide_loop_is_measured_only_with_32_vector_registers() =>
        Assert.Equal(SimdIsa.VectorRegisters == 32 ? [FmaProbe.Chains, FmaProbe.WideChains] : new[] { FmaProbe.Chains }, FmaProbe.ChainCounts());
}
