namespace Lexicon.Models;

/// <summary>
/// Packs running text into model inputs <c>[CLS] t₁ … tₙ [SEP]</c> of at most <see cref="MaxLength"/> tokens, filled
/// with consecutive text: a long document continues in the next sequence and the next document follows in the same
/// one, so every sequence but the last is full (and a batch of them needs no padding). A token budget cuts the last
/// sequence short (its text first, then its [SEP]), so the sequences hold exactly the budget unless the text runs out.
/// Text is pulled only as far as the budget reaches.
/// </summary>
public sealed class SequencePacker
{
    private readonly int _cls;
    private readonly int _sep;

    public SequencePacker(int cls, int sep, int maxLength = MiniLm.MaxSequenceLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 3);
        _cls = cls;
        _sep = sep;
        MaxLength = maxLength;
    }

    public int MaxLength { get; }

    /// <summary>Sequences holding <paramref name="text"/>'s tokens in order, <paramref name="tokenBudget"/> tokens at most
    /// in all, special tokens included.</summary>
    public IEnumerable<int[]> Pack(IEnumerable<IReadOnlyList<int>> text, long tokenBudget)
    {
        long remaining = tokenBudget;
        if (remaining < 1) yield break;
        var sequence = new List<int>(MaxLength);
        int length = 0;
        foreach (var chunk in text)
        {
            foreach (int id in chunk)
            {
                if (sequence.Count == 0)
                {
                    length = (int)Math.Min(MaxLength, remaining);
                    sequence.Add(_cls);
                }
                if (sequence.Count < length - 1) sequence.Add(id);
                if (sequence.Count < length - 1) continue;
                int[] packed = Close(sequence, length);
                yield return packed;
                remaining -= packed.Length;
                if (remaining < 1) yield break;
            }
        }
        if (sequence.Count > 0) yield return Close(sequence, length);
    }

    private int[] Close(List<int> sequence, int length)
    {
        if (sequence.Count < length) sequence.Add(_sep);
        int[] packed = [.. sequence];
        sequence.Clear();
        return packed;
    }
}
