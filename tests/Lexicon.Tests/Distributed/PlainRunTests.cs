using Lexicon.Distributed;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Distributed;

/// <summary>Without mpiexec, lexicon runs as one process and never loads an MPI library.</summary>
public sealed class PlainRunTests
{
    [Fact]
    public void Without_mpiexec_there_is_no_world_and_no_mpi_library_is_loaded()
    {
        Assert.Null(Environment.GetEnvironmentVariable("PMI_SIZE"));
        Assert.Null(World.Join());
        Assert.Null(World.Current);
        Assert.DoesNotContain("libmpich", File.ReadAllText("/proc/self/maps"));
    }

    [Fact]
    public void A_plain_train_says_nothing_of_ranks()
    {
        using var scratch = new Scratch();
        string world = DataParallelTrainingTests.Synth(scratch);
        var run = CliRunner.Run("train", "--data", world, "--layer", "1", "--latents", "16", "--k", "2", "--batch", "128", "--train-tokens", "512",
            "--out", scratch["S"], "--json");
        DataParallelTrainingTests.Ok(run);
        Assert.False(run.Json.ContainsKey("ranks"));
    }

    [Fact]
    public void Parallel_latents_without_mpiexec_trains_the_same_bits_as_a_plain_run()
    {
        using var scratch = new Scratch();
        string world = DataParallelTrainingTests.Synth(scratch);
        string[] run = ["train", "--data", world, "--layer", "1", "--latents", "16", "--k", "2", "--batch", "128", "--train-tokens", "512"];
        DataParallelTrainingTests.Ok(CliRunner.Run([.. run, "--out", scratch["plain"]]));
        DataParallelTrainingTests.Ok(CliRunner.Run([.. run, "--out", scratch["latents"], "--parallel", "latents"]));
        Assert.Equal(File.ReadAllBytes(Path.Combine(scratch["plain"], "sae_weights.safetensors")),
            File.ReadAllBytes(Path.Combine(scratch["latents"], "sae_weights.safetensors")));
    }
}
