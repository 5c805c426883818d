namespace Lexicon.Tests.Kernels;

public class TestRandomTests
{
    /// <summary>Values from an independent Rng.Derive + xoshiro256** (Python, arbitrary-precision integers masked to 64
    /// bits): a seed is a fixed function of (base, salt), not of the process, so a printed LEXICON_TEST_SEED replays a
    /// failure.</summary>
    [Theory]
    [InlineData(1, 2, 842076863)]
    [InlineData(-5, 700, 2129074669)]
    [InlineData(853813585, 11, 91671133)]
    public void Mix_is_the_first_draw_of_Rng_Derive_of_base_and_salt(int baseSeed, int salt, int expected) =>
        Assert.Equal(expected, TestRandom.Mix(baseSeed, salt));
}
