using System.Diagnostics;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Distributed;

/// <summary>What ends an MPI job: a rank that dies or hangs (a non-zero exit and a message, within the collective
/// timeout), bad input (one line, exit 2), and ranks that were not given the same run.</summary>
public sealed class RankFailureTests
{
    private static readonly string[] Run = ["--layer", "1", "--latents", "32", "--k", "4", "--batch", "128", "--train-tokens", "6400", "--seed", "1"];

    [SkippableTheory]
    [InlineData("die")]
    [InlineData("hang")]
    public void A_rank_that_dies_or_hangs_ends_the_job_with_a_message_and_a_nonzero_exit(string how)
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = DataParallelTrainingTests.Synth(scratch);
        // 10 s: long enough that a loaded machine never times out a healthy exchange before batch 5.
        var clock = Stopwatch.StartNew();
        var job = MpiRunner.Run(2, new Dictionary<string, string> { ["LEXICON_MPI_TIMEOUT"] = "10", ["LEXICON_TEST_RANK_FAILURE"] = $"1:5:{how}" },
            TimeSpan.FromSeconds(90), ["train", "--data", world, "--out", scratch["S"], .. Run]);
        Assert.True(job.ExitCode != 0, job.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Contains($"rank 1: LEXICON_TEST_RANK_FAILURE: {(how == "die" ? "killing" : "hanging")} this rank at batch 5", job.Stderr);
        // A death is reported by mpiexec itself (on stdout); a hang by the rank whose collective timed out.
        if (how == "hang") Assert.Contains("rank 0 of 2: batch 5: the top-k: the other ranks did not answer within 10 s", job.Stderr);
        else Assert.Contains("BAD TERMINATION", job.Stdout);
        Assert.False(File.Exists(Path.Combine(scratch["S"], "sae_weights.safetensors")), "no checkpoint was to be written");
    }

    /// <summary>A 2-rank job whose rank 1 kills itself at its <paramref name="at"/>-th <paramref name="unit"/>: it ends with a
    /// non-zero exit within a minute, rank 1 saying why and mpiexec reporting the death.</summary>
    internal static CliResult KillRankOne(string unit, int at, params string[] args)
    {
        var clock = Stopwatch.StartNew();
        var job = MpiRunner.Run(2, new Dictionary<string, string> { ["LEXICON_MPI_TIMEOUT"] = "10", ["LEXICON_TEST_RANK_FAILURE"] = $"1:{at}:die" },
            TimeSpan.FromSeconds(90), args);
        Assert.True(job.ExitCode != 0, job.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Contains($"rank 1: LEXICON_TEST_RANK_FAILURE: killing this rank at {unit} {at}", job.Stderr);
        Assert.Contains("BAD TERMINATION", job.Stdout);
        return job;
    }

    [SkippableFact]
    public void Bad_input_under_mpiexec_is_one_line_and_exit_2()
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = DataParallelTrainingTests.Synth(scratch);
        var job = MpiRunner.Run(2, ["train", "--data", world, "--out", scratch["S"], .. Run, "--aux-k", "-1"]);
        Assert.Equal(2, job.ExitCode);
        Assert.Single(job.Stderr.Trim().Split('\n'));
        Assert.Contains("--aux-k", job.Stderr);

        var eval = MpiRunner.Run(2, "eval", "--sae", scratch["S"], "--data", world);
        Assert.Equal(2, eval.ExitCode);
        Assert.Equal("lexicon: mpiexec: 'eval' runs in one process; only train, bench, report and suite run across ranks", eval.Stderr.Trim());
    }

    [SkippableFact]
    public void An_out_the_lead_cannot_claim_ends_every_rank_with_exit_2()
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = DataParallelTrainingTests.Synth(scratch);
        Directory.CreateDirectory(scratch["mine"]);
        File.WriteAllText(Path.Combine(scratch["mine"], "notes.txt"), "not a checkpoint");
        var job = MpiRunner.Run(2, ["train", "--data", world, "--out", scratch["mine"], .. Run]);
        Assert.Equal(2, job.ExitCode);
        Assert.Single(job.Stderr.Trim().Split('\n'));
        Assert.Contains("--out", job.Stderr);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(scratch["mine"]).Select(Path.GetFileName));
    }

    [SkippableFact]
    public void Ranks_given_different_runs_are_refused_with_exit_2()
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = DataParallelTrainingTests.Synth(scratch);
        string[] run = ["train", "--data", world, "--out", scratch["S"], .. Run];
        var job = MpiRunner.RunEach([.. run, "--lr", "0.001"], [.. run, "--lr", "0.002"]);
        Assert.Equal(2, job.ExitCode);
        Assert.Contains("the ranks' command lines: rank 1 differs from rank 0", job.Stderr);
        Assert.False(File.Exists(Path.Combine(scratch["S"], "sae_weights.safetensors")));
    }
}
