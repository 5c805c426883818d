using Lexicon.Models;

namespace Lexicon.Tests.Models;

public sealed class LayerSpecTests
{
    [Theory]
    [InlineData("0-6", new[] { 0, 1, 2, 3, 4, 5, 6 })]
    [InlineData("1,3,5", new[] { 1, 3, 5 })]
    [InlineData("6, 0-2,1", new[] { 0, 1, 2, 6 })]
    [InlineData("4", new[] { 4 })]
    public void Ranges_and_lists(string spec, int[] expected) => Assert.Equal(expected, LayerSpec.Parse(spec));

    [Theory]
    [InlineData("7", "7 is not a layer")]
    [InlineData("0-9", "9 is not a layer")]
    [InlineData("5-2", "runs backwards")]
    [InlineData("a", "neither a layer number nor a range")]
    [InlineData("1,,2", "neither a layer number nor a range")]
    [InlineData("-1", "neither a layer number nor a range")]
    [InlineData("", "neither a layer number nor a range")]
    public void Nonsense_names_the_flag(string spec, string problem)
    {
        var e = Assert.Throws<BadInputException>(() => LayerSpec.Parse(spec));
        Assert.Equal("--layers", e.File);
        Assert.Contains(problem, e.Problem);
    }
}
