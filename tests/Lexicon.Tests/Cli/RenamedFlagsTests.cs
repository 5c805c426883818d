using Lexicon.Cli;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

public class RenamedFlagsTests
{
    [Theory]
    [InlineData(new[] { "train", "--tokens", "5" }, new[] { "train", "--train-tokens", "5" })]
    [InlineData(new[] { "suite", "--tokens=5" }, new[] { "suite", "--train-tokens=5" })]
    [InlineData(new[] { "eval", "--tokens", "5" }, new[] { "eval", "--eval-tokens", "5" })]
    [InlineData(new[] { "ngrams", "--tokens", "5" }, new[] { "ngrams", "--eval-tokens", "5" })]
    [InlineData(new[] { "synth", "--layers", "3", "--tokens", "9" }, new[] { "synth", "--layer-count", "3", "--tokens", "9" })]
    public void An_old_spelling_is_read_as_the_new_flag_with_a_note(string[] args, string[] expected)
    {
        var notes = new StringWriter();
        Assert.Equal(expected, RenamedFlags.Apply(args, notes));
        Assert.StartsWith("lexicon: " + args[0] + " --", notes.ToString());
    }

    [Theory]
    [InlineData("extract --tokens 5 --layers 0-6")]
    [InlineData("suite --layers 0-3 --train-tokens 5")]
    [InlineData("quickstart --tokens 5")]
    [InlineData("train -- --tokens")]
    public void Flags_that_already_mean_one_thing_are_left_alone(string line)
    {
        string[] args = line.Split(' ');
        var notes = new StringWriter();
        Assert.Equal(args, RenamedFlags.Apply(args, notes));
        Assert.Equal("", notes.ToString());
    }

    [Fact]
    public void Synth_with_the_old_layers_count_writes_that_many_layers()
    {
        using var scratch = new Scratch();
        var run = CliRunner.Run("synth", "--out", scratch["W"], "--layers", "3", "--d-model", "8", "--vocab", "32", "--tokens", "512",
            "--features", "4", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("--layer-count", run.Stderr);
        Assert.Equal(3, Directory.GetFiles(scratch["W"], "layer_*").Length);
    }
}
