using Lexicon.Models;

namespace Lexicon.Tests.Models;

/// <summary>One encoder (all seven hidden states) and tokenizer shared by the model tests: loading costs about a second.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmTokenizer Tokenizer { get; } = MiniLmTokenizer.Create();
    public MiniLmEncoder Encoder { get; } = new([.. Enumerable.Range(0, MiniLm.HiddenStates)]);

    /// <summary>[CLS] text [SEP], as sentence-transformers feeds a sentence.</summary>
    public int[] Sentence(string text) => [Tokenizer.ClsId, .. Tokenizer.Encode(text), Tokenizer.SepId];

    /// <summary>Hidden state <paramref name="hiddenState"/> of consecutive sequences of <paramref name="length"/> tokens.</summary>
    public float[] Run(ReadOnlySpan<int> tokens, int length, int hiddenState)
    {
        using var batch = Encoder.CreateBatch(tokens.Length / length, length);
        batch.SetTokens(tokens);
        Encoder.Run(batch);
        return batch.HiddenState(hiddenState).ToArray();
    }

    public void Dispose() => Encoder.Dispose();
}
