namespace Lexicon.Models;

/// <summary>One sequence's hidden state L, [length × 384] row-major: the model's own rows, and the same rows with a
/// reconstruction put in where <see cref="Replaced"/> is true (the clean row elsewhere).</summary>
public sealed record SplicedSequence(float[] Clean, float[] Spliced, bool[] Replaced)
{
    public int Length => Replaced.Length;
}
