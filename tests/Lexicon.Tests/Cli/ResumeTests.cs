using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

/// <summary>An interrupted run resumed from its checkpoint ends bit-identical to an uninterrupted one.</summary>
public sealed class ResumeTests
{
    private static readonly string[] Run = ["--layer", "1", "--latents", "64", "--k", "4", "--batch", "256", "--tokens", "20480", "--dead-tokens", "1024", "--seed", "7"];

    [Theory]
    [InlineData("none")]
    [InlineData("unigram;bigram")]
    public void Resumed_run_ends_bit_identical_to_uninterrupted_run(string tables)
    {
        using var scratch = new Scratch();
        string world = scratch["W"];
        Ok(CliRunner.Run("synth", "--out", world, "--layer-count", "2", "--d-model", "16", "--vocab", "64", "--tokens", "20000", "--features", "32", "--seed", "3"));
        string[] run = [.. Run, "--tables", tables, "--table-rows", "512"];

        Ok(CliRunner.Run(["train", "--data", world, "--out", scratch["A"], .. run]));

        // Interrupted twice (once mid-epoch, once just past it), resumed each time; the last, plain --resume (as README
        // writes it) starts mid-run and must run to the end of the budget.
        var first = CliRunner.Run(["train", "--data", world, "--out", scratch["B"], "--stop-after-steps", "33", "--json", .. run]);
        Ok(first);
        Assert.False(first.Json["finished"]!.GetValue<bool>());
        Ok(CliRunner.Run("train", "--resume", scratch["B"], "--stop-after-steps", "14"));
        var last = CliRunner.Run("train", "--resume", scratch["B"], "--json");
        Ok(last);
        Assert.True(last.Json["finished"]!.GetValue<bool>());
        Assert.Equal(80, last.Json["steps"]!.GetValue<long>());

        var files = new List<string> { "sae_weights.safetensors", "trainer_state.safetensors", "cfg.json" };
        if (tables != "none") files.Add("lexicon.safetensors");
        foreach (var file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(scratch["A"], file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(scratch["B"], file))),
                $"{file} differs between the uninterrupted and the resumed run");
    }

    [Fact]
    public void Resuming_a_finished_run_changes_nothing()
    {
        using var scratch = new Scratch();
        string world = scratch["W"];
        Ok(CliRunner.Run("synth", "--out", world, "--layer-count", "2", "--d-model", "8", "--vocab", "32", "--tokens", "2000", "--features", "8"));
        Ok(CliRunner.Run("train", "--data", world, "--layer", "1", "--latents", "16", "--k", "2", "--batch", "100", "--train-tokens", "1000", "--out", scratch["S"]));
        string before = Scratch.Fingerprint(scratch["S"]);
        var again = CliRunner.Run("train", "--resume", scratch["S"], "--json");
        Ok(again);
        Assert.True(again.Json["finished"]!.GetValue<bool>());
        Assert.Equal(before, Scratch.Fingerprint(scratch["S"]));
    }

    [Theory]
    [InlineData("another seed", "--seed", "9", "--tokens", "2000")]
    [InlineData("fewer tokens", "--seed", "0", "--tokens", "1900")]
    public void Resume_on_another_store_of_the_same_shape_is_refused(string why, params string[] remake)
    {
        using var scratch = new Scratch();
        string world = scratch["W"];
        string[] synth = ["synth", "--out", world, "--layer-count", "2", "--d-model", "8", "--vocab", "32", "--features", "8"];
        Ok(CliRunner.Run([.. synth, "--seed", "0", "--tokens", "2000"]));
        Ok(CliRunner.Run("train", "--data", world, "--layer", "1", "--latents", "16", "--k", "2", "--batch", "100", "--train-tokens", "4000",
            "--out", scratch["S"], "--stop-after-steps", "3"));
        string before = Scratch.Fingerprint(scratch["S"]);
        Ok(CliRunner.Run([.. synth, "--force", .. remake]));
        var resumed = CliRunner.Run("train", "--resume", scratch["S"]);
        Assert.True(resumed.ExitCode == 2, why + "\n" + resumed);
        Assert.Contains("--data", resumed.Stderr);
        Assert.Contains("not the store this checkpoint was trained on", resumed.Stderr);
        Assert.Equal(before, Scratch.Fingerprint(scratch["S"]));
    }

    [Theory]
    [InlineData("counters", 1, 5L, "tokens seen")]
    [InlineData("counters", 3, 999999L, "stream cursor")]
    [InlineData("counters", 2, 7L, "stream cursor")]
    [InlineData("counters", 0, 99999L, "past the run")]
    [InlineData("adam.moment2", 3, -1L, "negative")]
    [InlineData("normalizer", 0, -999L, "normalizer")]
    [InlineData("adam.moment1", 0, -999L, "NaN")]
    public void A_corrupt_trainer_state_is_refused_naming_the_file(string tensor, int index, long value, string problem)
    {
        using var scratch = new Scratch();
        string world = scratch["W"];
        Ok(CliRunner.Run("synth", "--out", world, "--layer-count", "2", "--d-model", "8", "--vocab", "32", "--tokens", "2000", "--features", "8"));
        Ok(CliRunner.Run("train", "--data", world, "--layer", "1", "--latents", "16", "--k", "2", "--batch", "100", "--train-tokens", "4000",
            "--out", scratch["S"], "--stop-after-steps", "3"));
        // -999 stands for NaN in a float tensor.
        StateFile.Rewrite(Path.Combine(scratch["S"], "trainer_state.safetensors"), tensor, index, value == -999 ? double.NaN : value);
        string before = Scratch.Fingerprint(scratch["S"]);
        var resumed = CliRunner.Run("train", "--resume", scratch["S"]);
        Assert.True(resumed.ExitCode == 2, resumed.ToString());
        Assert.Contains("trainer_state.safetensors", resumed.Stderr);
        Assert.Contains(problem, resumed.Stderr);
        Assert.Equal(before, Scratch.Fingerprint(scratch["S"]));
    }

    [Fact]
    public void Resume_refuses_to_change_the_run_definition()
    {
        using var scratch = new Scratch();
        string world = scratch["W"];
        Ok(CliRunner.Run("synth", "--out", world, "--layer-count", "2", "--d-model", "8", "--vocab", "32", "--tokens", "2000", "--features", "8"));
        Ok(CliRunner.Run("train", "--data", world, "--layer", "1", "--latents", "16", "--k", "2", "--batch", "100", "--out", scratch["S"], "--stop-after-steps", "3"));
        string before = Scratch.Fingerprint(scratch["S"]);
        var changed = CliRunner.Run("train", "--resume", scratch["S"], "--k", "3");
        Assert.Equal(2, changed.ExitCode);
        Assert.Contains("--k", changed.Stderr);
        Assert.Equal(before, Scratch.Fingerprint(scratch["S"]));
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
