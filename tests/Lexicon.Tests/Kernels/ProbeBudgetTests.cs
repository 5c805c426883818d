using Lexicon.Kernels.Cpu;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Kernels;

/// <summary>The tuner's probe keeps its time budget on a machine too slow for its full problem (a forced scalar or
/// emulated width, an emulator), and a width the hardware lacks is cached apart from the one it has.</summary>
public sealed class ProbeBudgetTests
{
    private static double CallSeconds(int latents, double gflops) => 2.0 * GemmProbe.Rows * GemmProbe.D * latents / (gflops * 1e9);

    [Theory]
    [InlineData(2000, 1.3)]
    [InlineData(200, 1.3)]
    [InlineData(60, 1.3)]
    [InlineData(15, 1.3)]
    [InlineData(1, 1.3)]
    [InlineData(200, 0.05)]
    public void The_probe_problem_is_the_largest_halving_whose_calls_fit_the_budget(double gflops, double seconds)
    {
        int latents = GemmProbe.LatentsFor(gflops, seconds);
        Assert.InRange(latents, GemmProbe.MinLatents, GemmProbe.Latents);
        Assert.Equal(0, GemmProbe.Latents % latents);
        Assert.True(int.IsPow2(GemmProbe.Latents / latents));
        if (latents > GemmProbe.MinLatents) Assert.True(GemmProbe.CallsPerBudget * CallSeconds(latents, gflops) <= seconds);
        if (latents < GemmProbe.Latents) Assert.True(GemmProbe.CallsPerBudget * CallSeconds(2 * latents, gflops) > seconds);
    }

    [Fact]
    public void A_fast_machine_probes_the_full_problem_and_a_slow_one_a_smaller()
    {
        Assert.Equal(GemmProbe.Latents, GemmProbe.LatentsFor(gflops: 200, seconds: 1.3));
        Assert.True(GemmProbe.LatentsFor(gflops: 15, seconds: 1.3) < GemmProbe.Latents);
        Assert.Equal(GemmProbe.MinLatents, GemmProbe.LatentsFor(gflops: 0.5, seconds: 1.3));
    }

    [Fact]
    public void A_scalar_probe_with_a_small_budget_shrinks_its_problem_and_stays_within_ten_budgets()
    {
        const double budget = 0.2;
        GemmProbe.Result probe;
        using (SimdIsa.Force(SimdWidth.Scalar)) probe = GemmProbe.Run([4, 6, 8], [256 * 1024, 512 * 1024], [0], [0, 128], budget);
        // Scalar needs ~420 GFLOP/s for 40 full calls in 0.2 s. The mandatory calls (two sizing, the default's four) are
        // small: 0.08–0.13 s on an idle 2-core Zen 4, 0.7 s seen with a load average of 100; the full problem's four
        // would be ~0.45 s idle.
        Assert.True(probe.Latents < GemmProbe.Latents, $"probed {probe.Latents} latents");
        Assert.True(probe.Seconds < 10 * budget, $"{probe.Seconds:F3} s against a budget of {budget} s");
        Assert.NotEmpty(probe.Trials);
        Assert.Contains(probe.Best.Rows, new[] { 4, 6, 8 });
    }

    [Fact]
    public void Lexicon_tune_at_a_forced_scalar_width_keeps_its_two_seconds()
    {
        string cache = Directory.CreateTempSubdirectory("lexicon-tuning-").FullName;
        try
        {
            var result = CliRunner.RunWith(new Dictionary<string, string>
            {
                ["XDG_CACHE_HOME"] = cache,
                [SimdIsa.EnvironmentVariable] = "scalar",
                [CpuTuning.EnvironmentVariable] = "", // empty is "tune" (the test run's own may say defaults)
            },
                "tune", "--json");
            Assert.True(result.ExitCode == 0, result.ToString());
            var tuning = result.Json["tuning"]!.AsObject();
            Assert.Equal("scalar", (string?)tuning["isa"]);
            Assert.InRange((double)tuning["probe_seconds"]!, 0.01, 2.5);
            Assert.InRange((int)tuning["probe_latents"]!, GemmProbe.MinLatents, GemmProbe.Latents);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public void An_emulated_width_is_cached_apart_from_the_same_width_in_hardware()
    {
        string hardware = CpuTuning.CacheFileName("Some CPU family 6 model 1", SimdWidth.V512, inHardware: true, threads: 2);
        string emulated = CpuTuning.CacheFileName("Some CPU family 6 model 1", SimdWidth.V512, inHardware: false, threads: 2);
        Assert.NotEqual(hardware, emulated);
        Assert.Contains("emulated", emulated);
        Assert.DoesNotContain("emulated", hardware);
        Assert.Equal("Some_CPU_family_6_model_1-avx512-2t.json", hardware);
        Assert.Equal(Path.GetFileName(CpuTuning.CacheFileName("a/../b:c", SimdWidth.Scalar, true, 1)),
            CpuTuning.CacheFileName("a/../b:c", SimdWidth.Scalar, true, 1));
    }
}
