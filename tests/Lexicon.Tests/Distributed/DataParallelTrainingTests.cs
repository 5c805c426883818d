using Lexicon.Tests.Support;

namespace Lexicon.Tests.Distributed;

/// <summary><c>mpiexec -n R lexicon train</c> against one process: the same checkpoint, bit for bit, and checkpoints that
/// resume across rank counts.</summary>
public sealed class DataParallelTrainingTests
{
    // Odd batch and budget: the ranks' shares differ in size and the last batch is partial; dead latents make AuxK run.
    private static readonly string[] Run = ["--layer", "1", "--latents", "64", "--k", "4", "--batch", "255", "--train-tokens", "10001",
        "--dead-tokens", "700", "--seed", "7"];

    private static readonly string[] Trained = ["sae_weights.safetensors", "trainer_state.safetensors", "cfg.json"];

    [SkippableTheory]
    [InlineData(2, "none")]
    [InlineData(2, "unigram;bigram")]
    [InlineData(3, "unigram")]
    public void Ranks_train_the_same_bits_as_one_process(int ranks, string tables)
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = Synth(scratch);
        string[] run = ["--data", world, .. Run, "--tables", tables, "--table-rows", "512"];
        Ok(CliRunner.Run(["train", "--out", scratch["one"], .. run]));
        var job = MpiRunner.Run(ranks, ["train", "--out", scratch["many"], "--json", .. run]);
        Ok(job);
        Assert.Equal(ranks, job.Json["ranks"]!.GetValue<int>());
        Assert.Equal("data", job.Json["parallel"]!.GetValue<string>());
        SameFiles(scratch["one"], scratch["many"], tables != "none");
    }

    [SkippableFact]
    public void A_checkpoint_resumes_across_rank_counts_to_the_same_bits()
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = Synth(scratch);
        string[] run = ["--data", world, .. Run, "--tables", "unigram"];
        Ok(CliRunner.Run(["train", "--out", scratch["one"], .. run]));

        // Started on two ranks, finished in one process; and the other way round.
        Ok(MpiRunner.Run(2, ["train", "--out", scratch["2to1"], "--stop-after-steps", "17", .. run]));
        Ok(CliRunner.Run("train", "--resume", scratch["2to1"]));
        Ok(CliRunner.Run(["train", "--out", scratch["1to2"], "--stop-after-steps", "17", .. run]));
        Ok(MpiRunner.Run(2, "train", "--resume", scratch["1to2"]));

        SameFiles(scratch["one"], scratch["2to1"], tables: true);
        SameFiles(scratch["one"], scratch["1to2"], tables: true);
    }

    internal static string Synth(Scratch scratch)
    {
        string world = scratch["W"];
        Ok(CliRunner.Run("synth", "--out", world, "--layer-count", "2", "--d-model", "16", "--vocab", "64", "--tokens", "10000", "--features", "32", "--seed", "3"));
        return world;
    }

    private static void SameFiles(string expected, string actual, bool tables)
    {
        foreach (var file in tables ? [.. Trained, "lexicon.safetensors"] : Trained)
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))),
                $"{file} differs between one process and the MPI job");
    }

    internal static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
