namespace Lexicon.Synthetic;

/// <summary>Purpose tags for <see cref="Rng.Derive"/>: one independent random stream per part of the world.
/// The values are part of the output's definition; changing one changes every world.</summary>
internal static class StreamTag
{
    public const long TokenTable = 1;
    public const long BigramTable = 2;
    public const long Successors = 3;
    public const long FeatureLives = 4;
    public const long FeatureDirections = 5;
    public const long TokenStream = 6;
    public const long Firings = 7;
    public const long Noise = 8;
}
