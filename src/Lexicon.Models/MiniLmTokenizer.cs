using Microsoft.ML.Tokenizers;

namespace Lexicon.Models;

/// <summary>
/// The model's tokenizer: BERT's uncased WordPiece over the embedded vocab.txt (lower case, accents stripped, CJK
/// characters split, punctuation split), as sentence-transformers runs it. Text is encoded without special tokens;
/// <see cref="SequencePacker"/> adds [CLS] and [SEP].
/// </summary>
/// <remarks>Accent stripping needs Unicode decomposition, which .NET leaves out in invariant-globalization mode: there,
/// accented words come out as [UNK].</remarks>
public sealed class MiniLmTokenizer
{
    private readonly BertTokenizer _bert;

    private readonly string[] _vocabulary;

    private MiniLmTokenizer(BertTokenizer bert, string[] vocabulary)
    {
        _bert = bert;
        _vocabulary = vocabulary;
    }

    public static MiniLmTokenizer Create()
    {
        byte[] vocabulary = MiniLm.VocabularyBytes();
        using var reader = new StreamReader(new MemoryStream(vocabulary));
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        var bert = BertTokenizer.Create(new MemoryStream(vocabulary), new BertOptions
        {
            LowerCaseBeforeTokenization = true,
            RemoveNonSpacingMarks = true,
            IndividuallyTokenizeCjk = true,
        });
        return new MiniLmTokenizer(bert, [.. lines]);
    }

    public int VocabularySize => _vocabulary.Length;

    /// <summary>A token id's WordPiece as vocab.txt spells it ("##ing" continues a word).</summary>
    public string TokenText(int id) => (uint)id < (uint)_vocabulary.Length ? _vocabulary[id] : $"<{id}>";
    public int ClsId => _bert.ClassificationTokenId;
    public int SepId => _bert.SeparatorTokenId;

    /// <summary>[CLS] and [SEP]: they mark sequence structure rather than text.</summary>
    public int[] SpecialTokenIds => [ClsId, SepId];

    /// <summary>The text's token ids, without [CLS]/[SEP].</summary>
    public IReadOnlyList<int> Encode(string text) => _bert.EncodeToIds(text, addSpecialTokens: false);
}
