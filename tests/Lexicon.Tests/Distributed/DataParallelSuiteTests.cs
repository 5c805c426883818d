using System.Text.Json.Nodes;
using Lexicon.Tests.Support;
using static Lexicon.Tests.Distributed.DataParallelTrainingTests;

namespace Lexicon.Tests.Distributed;

/// <summary><c>mpiexec -n R lexicon suite</c>: every layer data-parallel, the lead writing; against one process, the
/// same files bit for bit (checkpoints, pooled rows, codes, suite.json), also when resumed across rank counts.</summary>
public sealed class DataParallelSuiteTests
{
    private static readonly string[] Suite = ["--layers", "0-1", "--latents", "32", "--k", "2", "--batch", "255", "--train-tokens", "6001",
        "--enrich-layer", "0", "--seed", "5"];

    [SkippableFact]
    public void Ranks_write_the_same_suite_as_one_process_and_resume_across_rank_counts()
    {
        Skip.If(MpiRunner.Launcher is null, MpiRunner.SkipReason);
        using var scratch = new Scratch();
        string world = Synth(scratch);
        string[] run = ["suite", "--data", world, .. Suite];
        Ok(CliRunner.Run([.. run, "--out", scratch["one"]]));
        Ok(MpiRunner.Run(2, [.. run, "--out", scratch["two"]]));
        AssertSameTree(scratch["one"], scratch["two"]);

        // Layer 0 on three ranks, layer 1 in one process.
        Ok(MpiRunner.Run(3, [.. run, "--out", scratch["3to1"], "--stop-after-layer", "0"]));
        Ok(CliRunner.Run([.. run, "--out", scratch["3to1"]]));
        AssertSameTree(scratch["one"], scratch["3to1"]);
    }

    /// <summary>The same relative paths, each file the same bytes; JSON files the same but for the timings
    /// (tokens_per_s, seconds), which the training summaries carry.</summary>
    internal static void AssertSameTree(string expected, string actual)
    {
        string[] Files(string root) => [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order()];
        Assert.Equal(Files(expected), Files(actual));
        foreach (var file in Files(expected))
        {
            string a = Path.Combine(expected, file), b = Path.Combine(actual, file);
            if (file.EndsWith(".json", StringComparison.Ordinal)) Assert.True(Untimed(a) == Untimed(b), $"{file} differs");
            else Assert.True(File.ReadAllBytes(a).AsSpan().SequenceEqual(File.ReadAllBytes(b)), $"{file} differs");
        }
    }

    private static string Untimed(string path)
    {
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        void Strip(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                o.Remove("tokens_per_s");
                o.Remove("seconds");
                foreach (var (_, child) in o.ToList()) Strip(child);
            }
            else if (n is JsonArray array) foreach (var child in array) Strip(child);
        }
        Strip(node);
        return node.ToJsonString();
    }
}
