using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

/// <summary>Every flag's range is checked before any work: a value out of it is exit 2 with one line naming the flag,
/// and nothing is written.</summary>
public sealed class FlagValidationTests(FlagValidationTests.World world) : IClassFixture<FlagValidationTests.World>
{
    public sealed class World : IDisposable
    {
        public World()
        {
            var synth = CliRunner.Run("synth", "--out", Scratch["W"], "--layer-count", "2", "--d-model", "8", "--vocab", "32", "--tokens", "2048", "--features", "8");
            Assert.True(synth.ExitCode == 0, synth.ToString());
        }

        public Scratch Scratch { get; } = new();

        public void Dispose() => Scratch.Dispose();
    }

    public static TheoryData<string, string, string> Train => new()
    {
        { "--latents", "0", "--latents" }, { "--latents", "-3", "--latents" }, { "--k", "0", "--k" }, { "--k", "99", "--k" },
        { "--batch", "0", "--batch" }, { "--train-tokens", "0", "--train-tokens" }, { "--train-tokens", "-5", "--train-tokens" },
        { "--lr", "NaN", "--lr" }, { "--lr", "0", "--lr" }, { "--lr", "2", "--lr" }, { "--lr", "Infinity", "--lr" },
        { "--warmup-steps", "-10", "--warmup-steps" }, { "--decay-fraction", "1.5", "--decay-fraction" }, { "--aux-k", "-1", "--aux-k" },
        { "--aux-coefficient", "NaN", "--aux-coefficient" }, { "--aux-coefficient", "-1", "--aux-coefficient" },
        { "--dead-tokens", "-10", "--dead-tokens" }, { "--dead-tokens", "0", "--dead-tokens" }, { "--b-dec-init", "median", "--b-dec-init" },
        { "--shuffle-buffer", "-100", "--shuffle-buffer" }, { "--tables", "", "--tables" }, { "--tables", "quadgram", "quadgram" },
        { "--table-rows", "0", "--table-rows" }, { "--table-rows", "1000000000", "--table-rows" }, { "--table-lr", "0", "--table-lr" },
        { "--hashed-table-lr", "NaN", "--hashed-table-lr" }, { "--table-init", "random", "--table-init" },
        { "--known-warmup", "1", "--known-warmup" }, { "--known-warmup", "-0.1", "--known-warmup" },
        { "--checkpoint-every", "-5", "--checkpoint-every" }, { "--stop-after-steps", "-1", "--stop-after-steps" },
        { "--stop-after-steps", "0", "--stop-after-steps" }, { "--layer", "-1", "--layer" }, { "--layer", "100", "--layer" },
        { "--compare-eval-tokens", "0", "--compare-eval-tokens" }, { "--compare-points", "0", "--compare-points" },
        { "--data", "", "--data" }, { "--out", "", "--out" }, { "--device", "tpu", "--device" },
        { "--latents", "100000000", "--latents" }, { "--batch", "100000000", "--batch" }, { "--lr", "fast", "--lr" },
        { "--precision", "fp16", "--precision" }, { "--device", "cpu --precision tf32", "--precision" },
    };

    [Theory]
    [MemberData(nameof(Train))]
    public void Train_refuses_a_value_out_of_range_naming_the_flag(string flag, string value, string named)
    {
        var args = new List<string> { "train", "--data", world.Scratch["W"], "--layer", "1", "--latents", "16", "--k", "2", "--out", world.Scratch["never"] };
        int at = args.IndexOf(flag);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([flag, .. value.Split(' ')]);
        Refused(CliRunner.Run([.. args]), named);
    }

    public static TheoryData<string[], string> Others => new()
    {
        { ["eval", "--sae", "S", "--eval-tokens", "0"], "--eval-tokens" },
        { ["eval", "--sae", "S", "--precision", "bf8"], "--precision" },
        { ["bench", "--device", "cpu", "--precision", "tf32"], "--precision" },
        { ["suite", "--layers", "0-1", "--precision", "fp8"], "--precision" },
        { ["report", "--precision", "half"], "--precision" },
        { ["suite", "--layers", "0-1", "--device", "cpu", "--precision", "tf32"], "--precision" },
        { ["report", "--device", "cpu", "--precision", "bf16"], "--precision" },
        { ["bench", "--device", "ilgpu-cpu", "--precision", "tf32"], "--precision" },
        { ["eval", "--sae", "S", "--eval-tokens", "-1"], "--eval-tokens" },
        { ["eval", "--sae", "S", "--dead-tokens", "0"], "--dead-tokens" },
        { ["eval", "--sae", "S", "--layer", "-1"], "--layer" },
        { ["eval", "--sae", ""], "--sae" },
        { ["suite", "--layers", "0-1", "--enrich-k", "0"], "--enrich-k" },
        { ["suite", "--layers", "0-1", "--enrich-latents", "0"], "--enrich-latents" },
        { ["suite", "--layers", "0-1", "--pool-min-norm", "NaN"], "--pool-min-norm" },
        { ["suite", "--layers", "0-1", "--pool-lr", "0"], "--pool-lr" },
        { ["suite", "--layers", "0-1", "--pool-death", "share"], "--pool-death" },
        { ["suite", "--layers", "0-1", "--min-activation", "-1"], "--min-activation" },
        { ["suite", "--layers", "0-1", "--pool", ""], "--pool" },
        { ["suite", "--layers", "0-1", "--pool", "tokens"], "--pool" },
        { ["suite", "--layers", "0-1", "--stop-after-layer", "7"], "--stop-after-layer" },
        { ["suite", "--layers", ""], "--layers" },
        { ["suite", "--layers", "1-0"], "--layers" },
        { ["suite", "--layers", "0", "--enrich-layer", "1"], "--enrich-layer" },
        { ["suite", "--layers", "0-1", "--latents", "-1"], "--latents" },
        { ["report", "--enrich-layer", "100"], "--enrich-layer" },
        { ["report", "--k", "0"], "--k" },
        { ["quickstart", "--latents", "0"], "--latents" },
        { ["quickstart", "--train-tokens", "0"], "--train-tokens" },
        { ["quickstart", "--tokens", "0"], "--tokens" },
        { ["extract", "--text", "a.txt", "--max-length", "2"], "--max-length" },
        { ["extract", "--text", "a.txt", "--tokens", "0"], "--tokens" },
        { ["extract", "--text", "a.txt", "--batch-sequences", "0"], "--batch-sequences" },
        { ["extract", "--corpus", ""], "--corpus" },
        { ["synth", "--layer-count", "0"], "--layer-count" },
        { ["synth", "--d-model", "0"], "--d-model" },
    };

    [Theory]
    [MemberData(nameof(Others))]
    public void Other_verbs_refuse_a_value_out_of_range_naming_the_flag(string[] args, string named)
    {
        var full = new List<string>(args);
        if (args[0] is "eval" or "suite" or "report") full.AddRange(["--data", world.Scratch["W"]]);
        if (args[0] is "suite" or "report" or "extract" or "synth" or "quickstart") full.AddRange(["--out", world.Scratch["never"]]);
        Refused(CliRunner.Run([.. full]), named);
    }

    private void Refused(CliResult result, string named)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        string message = result.Stderr.Trim();
        Assert.DoesNotContain('\n', message);
        Assert.Contains(named, message);
        Assert.False(Directory.Exists(world.Scratch["never"]), "a refused run wrote its output");
    }
}
