using Lexicon.Models;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Models;

/// <summary>Text input is checked before any work: missing and empty files are bad input; a file that is not valid UTF-8
/// or looks binary gets a warning with the count of what was replaced.</summary>
public sealed class TextFilesTests
{
    [Fact]
    public void Clean_text_gives_no_warning()
    {
        using var scratch = new Scratch();
        File.WriteAllText(scratch["a.txt"], "The cat sat on the mat.\n\tIndented line, naïve café.\n");
        Assert.Empty(TextFiles.Check([scratch["a.txt"]]));
    }

    [Fact]
    public void Invalid_utf8_is_warned_about_with_the_count_of_replaced_sequences()
    {
        using var scratch = new Scratch();
        File.WriteAllBytes(scratch["latin1.txt"], [.. "caf"u8, 0xE9, .. " au lait "u8, 0xFF, 0xFE, .. " done\n"u8]);
        var warning = Assert.Single(TextFiles.Check([scratch["latin1.txt"]]));
        Assert.Contains("latin1.txt", warning);
        Assert.Contains("not valid UTF-8: 3 byte sequence(s) replaced", warning);
    }

    [Fact]
    public void Random_bytes_are_warned_about_as_binary()
    {
        using var scratch = new Scratch();
        var bytes = new byte[20_000];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(scratch["noise.bin"], bytes);
        var warnings = TextFiles.Check([scratch["noise.bin"]]);
        Assert.Contains(warnings, w => w.Contains("noise.bin") && w.Contains("not valid UTF-8"));
        Assert.Contains(warnings, w => w.Contains("noise.bin") && w.Contains("looks like binary data"));
    }

    [Theory]
    [InlineData("missing.txt", "no such file")]
    [InlineData("blank.txt", "holds no text")]
    [InlineData("dir", "is a directory")]
    public void Unusable_files_are_bad_input(string name, string problem)
    {
        using var scratch = new Scratch();
        File.WriteAllText(scratch["blank.txt"], "  \n\t\n");
        Directory.CreateDirectory(scratch["dir"]);
        var error = Assert.Throws<BadInputException>(() => TextFiles.Check([scratch[name]]));
        Assert.Contains(problem, error.Message);
    }
}
