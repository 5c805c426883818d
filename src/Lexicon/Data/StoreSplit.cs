namespace Lexicon.Data;

/// <summary>
/// The held-out part of a store: whole sequences (rows from a position 0 to the next), never trained on, so that every
/// quality number can be measured on text the model has not seen. Which sequences is a pure function of the share, the
/// seed and the sequence count (a seeded permutation of the sequence indices, its first round(share · sequences)), so the
/// manifest records only those and the counts it checks against; a store without the field holds nothing out.
/// </summary>
public sealed record StoreSplit(double Share, long Seed, int Sequences, long Tokens)
{
    private const long Tag = 0x4E1D_5E7;

    /// <summary>Largest share a store may hold out: training needs most of it.</summary>
    public const double MaxShare = 0.5;

    /// <summary>Sequences held out of <paramref name="sequences"/>: at least one and never all when the share is positive.</summary>
    public static int HeldOutCount(double share, int sequences) =>
        share <= 0 || sequences < 2 ? 0 : Math.Clamp((int)Math.Round(share * sequences), 1, sequences - 1);

    /// <summary>Per sequence, whether it is held out.</summary>
    public static bool[] Choose(double share, long seed, int sequences)
    {
        var order = Enumerable.Range(0, sequences).ToArray();
        Rng.Derive(seed, Tag).Shuffle(order.AsSpan());
        var heldOut = new bool[sequences];
        for (int i = 0; i < HeldOutCount(share, sequences); i++) heldOut[order[i]] = true;
        return heldOut;
    }

    /// <summary>The split a writer records for sequences of these lengths (null when nothing is held out).</summary>
    public static StoreSplit? Of(double share, long seed, IReadOnlyList<int> sequenceLengths)
    {
        if (HeldOutCount(share, sequenceLengths.Count) == 0) return null;
        var heldOut = Choose(share, seed, sequenceLengths.Count);
        long tokens = 0;
        int count = 0;
        for (int s = 0; s < heldOut.Length; s++)
            if (heldOut[s])
            {
                tokens += sequenceLengths[s];
                count++;
            }
        return new StoreSplit(share, seed, count, tokens);
    }

    /// <summary>Per row, whether it is held out, from the store's positions; checks the counts the manifest recorded.</summary>
    public bool[] HeldOutRows(int[] positions, string manifestPath)
    {
        int sequences = positions.Count(p => p == 0);
        var chosen = Choose(Share, Seed, sequences);
        var rows = new bool[positions.Length];
        int sequence = -1, count = 0;
        long tokens = 0;
        for (int i = 0; i < positions.Length; i++)
        {
            if (positions[i] == 0)
            {
                sequence++;
                if (chosen[sequence]) count++;
            }
            rows[i] = chosen[sequence];
            if (rows[i]) tokens++;
        }
        if (count != Sequences || tokens != Tokens)
            throw new BadInputException(manifestPath,
                $"'heldout' records {Sequences} sequences and {Tokens} tokens, but share {Share} and seed {Seed} choose {count} and {tokens} of this store's");
        return rows;
    }
}
