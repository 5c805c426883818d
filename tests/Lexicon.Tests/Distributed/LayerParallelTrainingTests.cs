using Lexicon.Tests.Support;
using static Lexicon.Tests.Distributed.DataParallelTrainingTests;

namespace Lexicon.Tests.Distributed;

/// <summary><c>lexicon train --layers</c>: one SAE per layer into OUT/layer_NN, each the run <c>train --layer</c> makes;
/// under mpiexec the ranks take the layers in turn and write the same files.</summary>
public sealed class LayerParallelTrainingTests
{
    private static readonly string[] Run = ["--latents", "32", "--k", "4", "--batch", "255", "--train-tokens", "6001", "--tables", "unigram",
        "--seed", "9"];

    [Fact]
    public void Each_layer_is_the_run_train_layer_makes_and_resumes_alone()
    {
        using var scratch = new Scratch();
        string world = Synth(scratch);
        Ok(CliRunner.Run(["train", "--data", world, "--layers", "0-1", "--out", scratch["L"], .. Run]));
        Ok(CliRunner.Run(["train", "--data", world, "--layer", "1", "--out", scratch["one"], .. Run]));
        DataParallelSuiteTests.AssertSameTree(scratch["one"], Path.Combine(scratch["L"], "layer_01"));
        Assert.True(File.Exists(Path.Combine(scratch["L"], "layer_00", "trainer_state.safetensors")));
        var resumed = CliRunner.Run("train", "--resume", Path.Combine(scratch["L"], "layer_00"), "--json");
        Ok(resumed);
        Assert.True(resumed.Json["finished"]!.GetValue<bool>());
    }

    [SkippableTheory]
    [InlineData(2)]
    [InlineData(3)] // more ranks than layers: rank 2 has none
    public void Ranks_taking_layers_write_what_one_process_writes(int ranks)
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = Synth(scratch);
        Ok(CliRunner.Run(["train", "--data", world, "--layers", "0-1", "--out", scratch["one"], .. Run]));
        var job = MpiRunner.Run(ranks, ["train", "--data", world, "--layers", "0-1", "--out", scratch["many"], "--json", .. Run]);
        Ok(job);
        Assert.Equal(2, job.Json["layers"]!.AsArray().Count);
        DataParallelSuiteTests.AssertSameTree(scratch["one"], scratch["many"]);
    }

    [Theory]
    [InlineData("--layer", "1")]
    [InlineData("--stop-after-steps", "3")]
    [InlineData("--compare", "true")]
    public void Layers_with_a_single_run_flag_is_refused_with_exit_2(string flag, string value)
    {
        using var scratch = new Scratch();
        string world = Synth(scratch);
        var run = CliRunner.Run(["train", "--data", world, "--layers", "0-1", "--out", scratch["L"], .. Run, flag, value]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--layers", run.Stderr);
        Assert.False(Directory.Exists(scratch["L"]));
    }
}
