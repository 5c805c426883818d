using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

/// <summary><c>lexicon report</c> on a tiny planted world: three SAEs per layer, the HTML page and its plots.</summary>
public sealed class ReportTests
{
    [Fact]
    public void Report_writes_the_page_its_plots_and_a_row_per_layer()
    {
        using var scratch = new Scratch();
        var synth = CliRunner.Run("synth", "--out", scratch["W"], "--layers", "3", "--d-model", "16", "--vocab", "64", "--tokens", "8000", "--features", "24");
        Assert.True(synth.ExitCode == 0, synth.ToString());
        var report = CliRunner.Run("report", "--data", scratch["W"], "--out", scratch["R"], "--latents", "32", "--k", "4", "--batch", "256",
            "--tokens", "8000", "--json");
        Assert.True(report.ExitCode == 0, report.ToString());
        var layers = report.Json["layers"]!.AsArray();
        Assert.Equal(3, layers.Count);
        foreach (var layer in layers)
            foreach (var key in new[] { "plain_nmse", "tokenized_nmse", "suite_nmse" })
                Assert.InRange(layer![key]!.GetValue<double>(), 0, 2);
        string page = File.ReadAllText(Path.Combine(scratch["R"], "index.html"));
        foreach (var image in new[] { "nmse.png", "shares.png", "trace.png", "dead.png" })
        {
            Assert.Contains(image, page);
            var bytes = File.ReadAllBytes(Path.Combine(scratch["R"], image));
            Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', image);
        }
    }
}
