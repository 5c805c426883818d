using Lexicon.Benchmarks;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

/// <summary><c>lexicon bench --op</c>: each kept variant checked against the reference, then timed; bad combinations
/// of its flags are bad input.</summary>
public sealed class BenchOpTests
{
    [Fact]
    public void Bench_op_reports_every_kept_variant_checked_within_tolerance_and_timed()
    {
        var result = CliRunner.Run("bench", "--op", "EncoderGemm", "--steps", "1", "--device", "cpu", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var variants = result.Json["variants"]!.AsArray();
        Assert.Equal(["Gemm1Packed", "EncoderGemm"], variants.Select(v => (string)v!["name"]!));
        foreach (var v in variants)
        {
            Assert.All(v!["checks"]!.AsArray(), c => Assert.InRange((double)c!["error"]!, 0, OpCheck.Fp32Tolerance));
            Assert.True((double)v["ms"]! > 0 && (double)v["roofline_fraction"]! > 0, v.ToJsonString());
        }
    }

    [Theory]
    [InlineData("--op", "EncoderGemm", "--variant", "3")]
    [InlineData("--op", "NoSuchOp")]
    [InlineData("--variant", "1")]
    [InlineData("--op", "TopK", "--sweep")]
    public void Bad_op_flags_are_bad_input(params string[] flags)
    {
        var result = CliRunner.Run(["bench", "--device", "cpu", .. flags]);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }
}
