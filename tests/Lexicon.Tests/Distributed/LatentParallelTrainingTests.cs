using Lexicon.Data.Formats;
using Lexicon.Tests.Support;
using static Lexicon.Tests.Distributed.DataParallelTrainingTests;

namespace Lexicon.Tests.Distributed;

/// <summary><c>mpiexec -n R lexicon train --parallel latents</c> against one process: every tensor of the checkpoint
/// within 1e-6 of its largest value (the sums over ranks reassociate; nothing else does), the firing counters equal
/// (the same latents were selected at every step), checkpoints that resume across rank counts, and what it refuses.</summary>
public sealed class LatentParallelTrainingTests
{
    // Odd batch and budget, dead latents so AuxK runs, and (at 3 ranks) shares of 21, 21 and 22 latents.
    private static readonly string[] Run = ["--layer", "1", "--latents", "64", "--k", "4", "--batch", "255", "--train-tokens", "10001",
        "--dead-tokens", "700", "--seed", "7"];

    private static readonly string[] Files = ["sae_weights.safetensors", "trainer_state.safetensors"];

    private const double Tolerance = 1e-6;

    [SkippableTheory]
    [InlineData(2, "none")]
    [InlineData(2, "unigram;bigram")]
    [InlineData(3, "unigram")]
    // The tables' gradient through the encoder sums over every rank's latents. 20 steps: on this world a pre-activation
    // pair within rounding of each other swaps places between steps 20 and 40, after which the runs part (as one process
    // on two backends would).
    [InlineData(2, "unigram;bigram", "true", "5001")]
    public void Ranks_owning_latents_train_what_one_process_trains(int ranks, string tables, string subtract = "false", string tokens = "10001")
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = Synth(scratch);
        string[] run = ["--data", world, .. With(Run, "--train-tokens", tokens), "--tables", tables, "--table-rows", "512", "--subtract-tables", subtract];
        Ok(CliRunner.Run(["train", "--out", scratch["one"], .. run]));
        var job = MpiRunner.Run(ranks, ["train", "--out", scratch["many"], "--json", "--parallel", "latents", .. run]);
        Ok(job);
        Assert.Equal("latents", job.Json["parallel"]!.GetValue<string>());
        Close(scratch["one"], scratch["many"], tables != "none");
    }

    [SkippableFact]
    public void A_latent_parallel_checkpoint_resumes_across_rank_counts()
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = Synth(scratch);
        string[] run = ["--data", world, .. Run, "--tables", "unigram"];
        Ok(CliRunner.Run(["train", "--out", scratch["one"], .. run]));
        Ok(MpiRunner.Run(2, ["train", "--out", scratch["2to1"], "--parallel", "latents", "--stop-after-steps", "17", .. run]));
        Ok(CliRunner.Run("train", "--resume", scratch["2to1"]));
        Ok(CliRunner.Run(["train", "--out", scratch["1to3"], "--stop-after-steps", "17", .. run]));
        Ok(MpiRunner.Run(3, "train", "--resume", scratch["1to3"], "--parallel", "latents"));
        Close(scratch["one"], scratch["2to1"], tables: true);
        Close(scratch["one"], scratch["1to3"], tables: true);
    }

    [SkippableTheory]
    [InlineData("--latents", "6", "6 latents over 2 ranks leave a rank 3, fewer than --k 4")]
    public void What_latent_parallel_cannot_divide_is_refused_with_exit_2(string flag, string value, string message)
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = Synth(scratch);
        var job = MpiRunner.Run(2, ["train", "--data", world, "--out", scratch["S"], "--parallel", "latents", .. With(Run, flag, value), "--tables", "unigram"]);
        Assert.Equal(2, job.ExitCode);
        Assert.Single(job.Stderr.Trim().Split('\n'));
        Assert.Contains(message, job.Stderr);
        Assert.False(Directory.Exists(scratch["S"]), "nothing was to be claimed");
    }

    [SkippableFact]
    public void A_rank_that_dies_ends_the_job_with_a_message()
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = Synth(scratch);
        RankFailureTests.KillRankOne("batch", 5, ["train", "--data", world, "--out", scratch["S"], "--parallel", "latents", .. Run]);
        Assert.False(File.Exists(Path.Combine(scratch["S"], "sae_weights.safetensors")), "no checkpoint was to be written");
    }

    /// <summary>The flags with <paramref name="flag"/> set to <paramref name="value"/> (replaced where it is given).</summary>
    private static string[] With(string[] flags, string flag, string value)
    {
        int at = Array.IndexOf(flags, flag);
        return at < 0 ? [.. flags, flag, value] : [.. flags[..at], flag, value, .. flags[(at + 2)..]];
    }

    /// <summary>Every tensor of <paramref name="actual"/>'s checkpoint within <see cref="Tolerance"/> of the largest
    /// magnitude of <paramref name="expected"/>'s — the tables (lexicon.safetensors) of the largest of them all, since
    /// every table adds into the same reconstruction (a hashed bigram table's rows stay near zero); integer tensors
    /// (counters, firing counts, row steps) equal.</summary>
    private static void Close(string expected, string actual, bool tables)
    {
        foreach (var name in tables ? [.. Files, "lexicon.safetensors"] : Files)
        {
            using var a = SafeTensorsFile.Open(Path.Combine(expected, name));
            using var b = SafeTensorsFile.Open(Path.Combine(actual, name));
            Assert.Equal(a.Tensors.Keys.Order(), b.Tensors.Keys.Order());
            double tablesScale = name == "lexicon.safetensors"
                ? a.Tensors.Where(t => t.Value.DType == DType.Float32).Max(t => a.ReadFloats(t.Key).Max(v => Math.Abs((double)v))) : 0;
            foreach (var (tensor, info) in a.Tensors)
            {
                if (info.DType != DType.Float32)
                {
                    Assert.True(a.ReadBytes(tensor).AsSpan().SequenceEqual(b.ReadBytes(tensor)), $"{name} {tensor} differs");
                    continue;
                }
                float[] x = a.ReadFloats(tensor), y = b.ReadFloats(tensor);
                double scale = Math.Max(Math.Max(x.Max(v => Math.Abs((double)v)), tablesScale), 1e-30);
                double worst = x.Zip(y, (p, q) => Math.Abs((double)p - q)).Max() / scale;
                Assert.True(worst <= Tolerance, $"{name} {tensor}: {worst:E2} of its largest value apart");
            }
        }
    }
}
