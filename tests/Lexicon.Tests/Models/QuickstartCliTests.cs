using Lexicon.Tests.Support;

namespace Lexicon.Tests.Models;

/// <summary>The README's first command, at toy size on a small text (the Brown corpus needs npm and minutes): it runs
/// extract, ngrams and report in order and leaves the report with its plots; a failing step's exit code comes through.</summary>
public sealed class QuickstartCliTests
{
    [Fact]
    public void Extracts_measures_trains_and_writes_the_report_with_held_out_numbers_embedding_recovered_and_a_linked_feature_site()
    {
        using var scratch = new Scratch();
        File.WriteAllText(scratch["text.txt"], ExtractTests.SampleText());
        var run = CliRunner.Run("quickstart", "--out", scratch["run"], "--text", scratch["text.txt"], "--tokens", "600",
            "--latents", "32", "--k", "2", "--train-tokens", "2048", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("$ lexicon extract", run.Stdout);
        Assert.Contains("$ lexicon ngrams", run.Stdout);
        Assert.Contains("$ lexicon report", run.Stdout);
        foreach (string file in new[] { "index.html", "nmse.png", "fvu.png", "shares.png", "trace.png", "dead.png" })
            Assert.True(File.Exists(Path.Combine(scratch["run"], "report", file)), file);
        Assert.EndsWith("index.html", (string)run.Json["report"]!);
        var report = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(scratch["run"], "report", "report.json")))!;
        Assert.Equal("heldout", (string)report["split"]!);
        foreach (var layer in report["layers"]!.AsArray())
            foreach (string model in new[] { "plain", "tokenized", "suite" })
            {
                var recovered = layer![model]!["embedding_recovered"];
                Assert.True(recovered is not null && double.IsFinite(recovered.GetValue<double>()), $"{model}: {layer}");
                Assert.True(layer[model]!["spliced"]!["sequences"]!.GetValue<int>() >= 1);
            }
        // The report links the suite's feature site, whose tokens read as MiniLM's WordPiece pieces, not ids.
        Assert.Contains("href=\"features/index.html\"", File.ReadAllText(Path.Combine(scratch["run"], "report", "index.html")));
        var site = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(scratch["run"], "report", "features", "features.json")))!;
        Assert.StartsWith("WordPiece", (string)site["token_text"]!);
        var features = site["features"]!.AsArray();
        Assert.NotEmpty(features);
        Assert.All(features, f => Assert.DoesNotMatch(@"^#[0-9]+$", (string)f!["top_tokens"]![0]!["text"]!));
        // Never where a Brown store is reused from.
        Assert.Equal("store_text", Path.GetFileName((string)run.Json["store"]!));
    }

    [Fact]
    public void A_failing_step_passes_its_exit_code_on()
    {
        using var scratch = new Scratch();
        var run = CliRunner.Run("quickstart", "--out", scratch["run"], "--text", scratch["missing.txt"]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("missing.txt", run.Stderr);
        Assert.False(File.Exists(Path.Combine(scratch["run"], "report", "index.html")));
    }
}
