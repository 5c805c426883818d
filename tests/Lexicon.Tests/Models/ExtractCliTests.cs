using Lexicon.Data;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Models;

/// <summary><c>lexicon extract</c> through the real command line: a store from a small text file with chosen layers,
/// and bad input answered with exit code 2 and one line naming the file or flag.</summary>
public sealed class ExtractCliTests
{
    [Fact]
    public void Extracts_the_chosen_layers_and_reports_json()
    {
        using var scratch = new Scratch();
        File.WriteAllText(scratch["text.txt"], ExtractTests.SampleText());
        var run = CliRunner.Run("extract", "--out", scratch["store"], "--text", scratch["text.txt"], "--tokens", "300", "--layers", "1,3", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        var json = run.Json;
        Assert.Equal(300, (long)json["tokens"]!);
        Assert.Equal(2, (int)json["sequences"]!);
        Assert.True((double)json["tokens_per_s"]! > 0);
        Assert.True((double)json["seconds"]! > 0);
        using var store = ActivationStore.Open(scratch["store"]);
        Assert.Equal([1, 3], store.Manifest.Layers);
        Assert.Equal(300, store.TokenCount);
        Assert.Equal(["layer_01.npy", "layer_03.npy", "manifest.json", "positions.npy", "tokens.npy"],
            Directory.GetFiles(scratch["store"]).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Bad_input_exits_2_with_one_line_naming_it()
    {
        using var scratch = new Scratch();
        File.WriteAllText(scratch["empty.txt"], " \n\n");
        File.WriteAllText(scratch["text.txt"], "Some text.");
        string store = scratch["store"];
        (string[] Args, string Named)[] cases =
        [
            (["--text", scratch["missing.txt"]], "missing.txt"),
            (["--text", scratch["empty.txt"]], "empty.txt"),
            (["--text", scratch["text.txt"], "--layers", "0-7"], "--layers"),
            (["--text", scratch["text.txt"], "--layers", "x"], "--layers"),
            (["--text", scratch["text.txt"], "--tokens", "0"], "--tokens"),
            (["--text", scratch["text.txt"], "--batch-sequences", "0"], "--batch-sequences"),
            (["--text", scratch["text.txt"], "--max-length", "2"], "--max-length"),
            (["--text", scratch["text.txt"], "--max-length", "257"], "--max-length"),
            (["--corpus", "gutenberg"], "--corpus"),
            (["--corpus", "brown", "--text", scratch["text.txt"]], "--text/--corpus"),
            ([], "--text/--corpus"),
        ];
        foreach (var (args, named) in cases)
        {
            var run = CliRunner.Run(["extract", "--out", store, .. args]);
            Assert.True(run.ExitCode == 2, $"{string.Join(' ', args)}: {run}");
            string message = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(named, message);
            Assert.False(Directory.Exists(store), $"{string.Join(' ', args)} left {store}");
        }
    }
}
