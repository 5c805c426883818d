using Lexicon.Models;

namespace Lexicon.Tests.Models;

/// <summary>Packing: [CLS] text [SEP] sequences of at most the maximum length, full but for the last, text in order
/// across document boundaries, the token budget met exactly.</summary>
public sealed class SequencePackerTests
{
    private const int Cls = 101, Sep = 102;

    private static IReadOnlyList<int>[] Documents(params int[] lengths)
    {
        int next = 1000;
        return [.. lengths.Select(n => (IReadOnlyList<int>)Enumerable.Range(0, n).Select(_ => next++).ToArray())];
    }

    [Fact]
    public void Sequences_are_full_framed_and_hold_the_text_in_order()
    {
        var documents = Documents(10, 600, 3, 250);
        var sequences = new SequencePacker(Cls, Sep, 256).Pack(documents, long.MaxValue).ToList();

        Assert.All(sequences, s => Assert.InRange(s.Length, 3, 256));
        Assert.All(sequences, s => Assert.Equal(Cls, s[0]));
        Assert.All(sequences, s => Assert.Equal(Sep, s[^1]));
        Assert.All(sequences[..^1], s => Assert.Equal(256, s.Length));
        Assert.Equal(documents.SelectMany(d => d), sequences.SelectMany(s => s[1..^1]));
        Assert.Equal(863 + 2 * 4, sequences.Sum(s => s.Length));
    }

    [Theory]
    [InlineData(600)]
    [InlineData(513)]
    [InlineData(514)]
    [InlineData(256)]
    [InlineData(5)]
    [InlineData(1)]
    public void The_budget_is_met_exactly_and_cuts_only_the_last_sequence(long budget)
    {
        var sequences = new SequencePacker(Cls, Sep, 256).Pack(Documents(5000), budget).ToList();
        Assert.Equal(budget, sequences.Sum(s => (long)s.Length));
        Assert.All(sequences[..^1], s => Assert.Equal(256, s.Length));
        Assert.All(sequences, s => Assert.Equal(Cls, s[0]));
        Assert.All(sequences.Where(s => s.Length > 1), s => Assert.Equal(Sep, s[^1]));
    }

    [Fact]
    public void Text_is_read_only_as_far_as_the_budget_reaches()
    {
        int pulled = 0;
        IEnumerable<IReadOnlyList<int>> Endless()
        {
            while (true)
            {
                pulled++;
                yield return [7, 7, 7, 7];
            }
        }
        var sequences = new SequencePacker(Cls, Sep, 16).Pack(Endless(), 40).ToList();
        Assert.Equal(40, sequences.Sum(s => s.Length));
        Assert.Equal(9, pulled);
    }

    [Fact]
    public void No_text_makes_no_sequences()
    {
        Assert.Empty(new SequencePacker(Cls, Sep).Pack([[], []], 1000));
    }
}
