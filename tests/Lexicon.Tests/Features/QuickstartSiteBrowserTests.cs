using Lexicon.Tests.Models;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Features;

/// <summary>
/// The quickstart at toy size on real MiniLM activations (a small text), its report opened in headless Chromium: the
/// report's link leads to the feature site, whose index lists features with WordPiece top tokens and whose first
/// feature's page shows shaded contexts, with no JavaScript error on any of the three pages.
/// </summary>
public sealed class QuickstartSiteBrowserTests
{
    [SkippableFact]
    public void The_quickstart_reports_link_opens_a_feature_site_that_reads_as_text_with_no_javascript_error()
    {
        Skip.If(HeadlessChromium.Binary is null, "chromium is not installed (apt-get install -y chromium)");
        using var scratch = new Scratch();
        File.WriteAllText(scratch["text.txt"], ExtractTests.SampleText());
        var run = CliRunner.Run("quickstart", "--out", scratch["run"], "--text", scratch["text.txt"], "--tokens", "600",
            "--latents", "32", "--k", "2", "--train-tokens", "2048");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var browser = new HeadlessChromium();

        browser.Navigate(new Uri(Path.Combine(scratch["run"], "report", "index.html")).AbsoluteUri);
        string site = (string)browser.Evaluate("document.querySelector('p.features a').href")!;
        browser.Navigate(site);
        var tokens = browser.Evaluate("Array.from(document.querySelectorAll('#features tbody tr')).map(r => r.cells[1].textContent)")!.AsArray();
        Assert.NotEmpty(tokens);
        // WordPiece pieces, not the "#id" a store without a tokenizer shows.
        Assert.All(tokens, t => Assert.DoesNotMatch(@"(^| )#[0-9]+( |$)", (string)t!));
        Assert.Contains(tokens, t => System.Text.RegularExpressions.Regex.IsMatch((string)t!, "[a-z]{2}"));
        string page = (string)browser.Evaluate("document.querySelector('#features tbody a').href")!;

        browser.Navigate(page);
        Assert.True((int)browser.Evaluate("document.querySelectorAll('.ctx .text span[style*=\"background\"]').length")! > 0);
        Assert.Empty(browser.Errors);
    }
}
