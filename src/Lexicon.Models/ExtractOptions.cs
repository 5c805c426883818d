namespace Lexicon.Models;

/// <summary>What <see cref="ActivationExtractor"/> extracts: which hidden states, how many tokens, in batches of how many
/// sequences.</summary>
public sealed record ExtractOptions
{
    public int[] Layers { get; init; } = [.. Enumerable.Range(0, MiniLm.HiddenStates)];

    /// <summary>Tokens to write, [CLS] and [SEP] included (fewer if the text runs out first).</summary>
    public long Tokens { get; init; } = 200_000;

    /// <summary>Longest sequence, [CLS] and [SEP] included: text is packed into sequences of this many tokens.</summary>
    public int MaxLength { get; init; } = MiniLm.MaxSequenceLength;

    /// <summary>Share of whole sequences held out of training, for out-of-sample numbers (see Lexicon.Data.StoreSplit).</summary>
    public double HeldOut { get; init; } = 0.1;

    /// <summary>Chooses the held-out sequences.</summary>
    public long Seed { get; init; }

    /// <summary>Sequences per forward pass (each core runs its own).</summary>
    public int BatchSequences { get; init; } = 2;

    /// <summary>Throws <see cref="BadInputException"/> naming the flag of the first nonsensical setting.</summary>
    public void Validate()
    {
        if (Layers.Length == 0 || Layers.Any(l => l is < 0 or >= MiniLm.HiddenStates) || Layers.Distinct().Count() != Layers.Length)
            throw new BadInputException("--layers", $"must name distinct layers in 0..{MiniLm.HiddenStates - 1}");
        if (Tokens is < 1 or > int.MaxValue) throw new BadInputException("--tokens", $"must be in 1..{int.MaxValue}, got {Tokens}");
        if (MaxLength is < 3 or > MiniLm.MaxSequenceLength)
            throw new BadInputException("--max-length", $"must be in 3..{MiniLm.MaxSequenceLength} ([CLS], a token, [SEP] at least), got {MaxLength}");
        if (HeldOut is < 0 or > Lexicon.Data.StoreSplit.MaxShare) throw new BadInputException("--heldout", $"must be in 0..{Lexicon.Data.StoreSplit.MaxShare}, got {HeldOut}");
        // Each core holds two batches' hidden states, 2.75 MB per sequence at seven layers.
        if (BatchSequences is < 1 or > 64) throw new BadInputException("--batch-sequences", $"must be in 1..64, got {BatchSequences}");
    }
}
