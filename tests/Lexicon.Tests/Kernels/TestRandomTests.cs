namespace Lexicon.Tests.Kernels;

public class TestRandomTests
{
    /// <summary>Values from an independent SplitMix64 (Python, arbitrary-precision integers masked to 64 bits): a seed
    /// is a fixed function of (base, salt), not of the process, so a printed LEXICON_TEST_SEED replays a failure.</summary>
    [Theory]
    [InlineData(1, 2, 340815906)]
    [InlineData(-5, 700, 739366973)]
    [InlineData(853813585, 11, 2083136733)]
    public void Mix_is_splitmix64_of_base_and_salt(int baseSeed, int salt, int expected) =>
        Assert.Equal(expected, TestRandom.Mix(baseSeed, salt));
}
