using System.Text.Json.Nodes;
using Lexicon.Tests.Support;
using static Lexicon.Tests.Distributed.DataParallelTrainingTests;

namespace Lexicon.Tests.Distributed;

/// <summary><c>mpiexec -n R lexicon report</c>: the ranks share the plain and tokenized SAEs layer by layer,
/// all train the suite data-parallel and the lead writes the report; against one process, the same SAEs and suite bit for
/// bit and the same report.</summary>
public sealed class LayerParallelReportTests
{
    private static readonly string[] Report = ["--latents", "64", "--k", "4", "--batch", "255", "--train-tokens", "6001", "--seed", "7"];

    [SkippableTheory]
    [InlineData(2)]
    [InlineData(3)] // 4 jobs on 3 ranks: rank 0 takes two
    public void Ranks_write_the_same_saes_and_report_as_one_process(int ranks)
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = Synth(scratch);
        Ok(CliRunner.Run(["report", "--data", world, "--out", scratch["one"], .. Report]));
        var job = MpiRunner.Run(ranks, ["report", "--data", world, "--out", scratch["many"], "--json", .. Report]);
        Ok(job);
        Assert.EndsWith("index.html", job.Json["report"]!.GetValue<string>());

        foreach (string part in new[] { "plain", "tokenized", "suite" })
            DataParallelSuiteTests.AssertSameTree(Path.Combine(scratch["one"], part), Path.Combine(scratch["many"], part));
        Assert.Equal(Measured(scratch["one"]), Measured(scratch["many"]));
        Assert.True(File.Exists(Path.Combine(scratch["many"], "index.html")));
    }

    [SkippableFact]
    public void Ranks_given_different_reports_end_with_exit_2_before_anything_is_written()
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = Synth(scratch);
        string[] run = ["report", "--data", world, "--out", scratch["R"], .. Report];
        var job = MpiRunner.RunEach(run, [.. run, "--k", "5"]);
        Assert.Equal(2, job.ExitCode);
        Assert.Contains("the ranks' command lines: rank 1 differs from rank 0", job.Stderr);
        Assert.False(Directory.Exists(scratch["R"]), "nothing was to be claimed");
    }

    [SkippableFact]
    public void A_rank_that_dies_in_its_share_ends_the_job_without_a_report()
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = Synth(scratch);
        // Rank 1's second job (layer 1's tokenized SAE) while rank 0 may already wait, with no deadline, for the results.
        RankFailureTests.KillRankOne("job", 2, ["report", "--data", world, "--out", scratch["R"], .. Report]);
        Assert.False(File.Exists(Path.Combine(scratch["R"], "index.html")), "no report was to be written");
    }

    /// <summary>report.json's measurements: everything but the paths, which name the report's own directory.</summary>
    private static string Measured(string report)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "report.json")))!.AsObject();
        foreach (string path in new[] { "report", "features" }) json.Remove(path);
        return json.ToJsonString();
    }
}
