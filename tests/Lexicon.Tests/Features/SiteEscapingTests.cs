using Lexicon.Features;
using Lexicon.Suite;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Features;

/// <summary>Token text is data, never markup: a vocabulary of hostile pieces leaves no tag of theirs in any page.</summary>
public sealed class SiteEscapingTests
{
    [Fact]
    public void Hostile_token_text_appears_in_no_page_as_markup()
    {
        using var scratch = new Scratch();
        const int rows = 64;
        var tokens = Enumerable.Range(0, rows).Select(r => r % 4).ToArray();
        var positions = Enumerable.Range(0, rows).Select(r => r % 16).ToArray();
        var index = Enumerable.Range(0, rows).Select(r => r % 2).ToArray();
        var value = Enumerable.Range(0, rows).Select(r => 1f + r).ToArray();
        var source = new PoolSource("L00", 0, 2, 1, 2, [1, 0, 0, 1], index, value);
        var basis = new TokenBasis("unigram_table", "test rows", 2, [1, 0, 0, 1, 1, 1, -1, 0], [0, 1, 2, 3]);
        var hostile = new TokenVocabulary("<b>kind</b>", id => $"</script><img src=x onerror=alert({id})>&");
        var input = new SiteInput("<i>title</i>", "<store>", "<model>", tokens, positions, [], hostile, [new FeatureFamily(source, basis)], null);
        FeatureSite.Build(input, scratch["site"]);
        var pages = Directory.GetFiles(scratch["site"], "*.html", SearchOption.AllDirectories);
        Assert.Equal(3, pages.Length);
        foreach (string page in pages)
        {
            string html = File.ReadAllText(page);
            Assert.DoesNotContain("<img", html);
            Assert.DoesNotContain("<b>", html);
            Assert.DoesNotContain("<i>", html);
            Assert.Equal(2, html.Split("</script>").Length - 1);
        }
    }
}
