using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

/// <summary><c>lexicon report</c> on a tiny planted world: three SAEs per layer, the HTML page, its plots and the suite's feature site.</summary>
public sealed class ReportTests
{
    [Fact]
    public void Report_writes_the_page_its_plots_the_linked_feature_site_and_a_held_out_row_per_layer_where_each_model_explains_variance()
    {
        using var scratch = new Scratch();
        var synth = CliRunner.Run("synth", "--out", scratch["W"], "--layer-count", "3", "--d-model", "16", "--vocab", "64", "--tokens", "8000", "--features", "24");
        Assert.True(synth.ExitCode == 0, synth.ToString());
        var report = CliRunner.Run("report", "--data", scratch["W"], "--out", scratch["R"], "--latents", "32", "--k", "4", "--batch", "256",
            "--train-tokens", "8000", "--json");
        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Equal("heldout", report.Json["split"]!.GetValue<string>());
        Assert.True(report.Json["heldout_tokens"]!.GetValue<long>() > 0);
        var layers = report.Json["layers"]!.AsArray();
        Assert.Equal(3, layers.Count);
        foreach (var layer in layers)
            foreach (var model in new[] { "plain", "tokenized", "suite" })
            {
                // An all-zero SAE has fvu 1 and nmse 1: a trained one explains a good part of a planted world.
                Assert.InRange(layer![model]!["fvu"]!.GetValue<double>(), 0.001, 0.8);
                Assert.InRange(layer[model]!["nmse"]!.GetValue<double>(), 0.001, 0.8);
                Assert.InRange(layer[model]!["in_sample_nmse"]!.GetValue<double>(), 0.001, 0.8);
                Assert.Null(layer[model]!["embedding_recovered"]);
            }
        string page = File.ReadAllText(Path.Combine(scratch["R"], "index.html"));
        Assert.Contains("href=\"features/index.html\"", page);
        Assert.Equal(Path.Combine(scratch["R"], "features", "index.html"), (string)report.Json["features"]!);
        Assert.True(File.Exists(Path.Combine(scratch["R"], "features", "features.json")));
        foreach (var image in new[] { "nmse.png", "fvu.png", "shares.png", "trace.png", "dead.png" })
        {
            Assert.Contains(image, page);
            var bytes = File.ReadAllBytes(Path.Combine(scratch["R"], image));
            Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', image);
        }
    }
}
