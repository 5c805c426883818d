using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Lexicon.Data;

/// <summary>
/// What makes a store this store and not another of the same shape, cheaply: a SHA-256 over the manifest's fields,
/// every token id and position (already in memory), and per layer the file's size and a sample of rows spread over it.
/// A store re-made with another seed, from other text, or cut shorter gets another identity; checkpoints and suites
/// record it, so a resume on another store is refused rather than silently mixed.
/// </summary>
public static class StoreIdentity
{
    private const int SampledRows = 64;

    public static string Compute(ActivationStore store)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var m = store.Manifest;
        hash.AppendData(Encoding.UTF8.GetBytes(
            $"d={m.DModel};layers={string.Join(',', m.Layers.Order())};tokens={m.Tokens};vocab={m.VocabSize};dtype={m.DType};" +
            $"model={m.Model};tokenizer={m.Tokenizer};bidirectional={m.Bidirectional};special={string.Join(',', m.SpecialTokens)}" +
            // Only stores with a split say so, so that a store written before splits existed keeps its identity.
            (m.HeldOut is { } split ? $";heldout={split.Share},{split.Seed},{split.Sequences},{split.Tokens}" : "")));
        hash.AppendData(MemoryMarshal.AsBytes(store.Tokens.AsSpan()));
        hash.AppendData(MemoryMarshal.AsBytes(store.Positions.AsSpan()));
        var row = new float[store.D];
        foreach (int layer in m.Layers.Order())
        {
            hash.AppendData(BitConverter.GetBytes(new FileInfo(store.Layer(layer).Path).Length));
            int samples = (int)Math.Min(SampledRows, store.TokenCount);
            for (int i = 0; i < samples; i++)
            {
                long r = samples == 1 ? 0 : i * (store.TokenCount - 1) / (samples - 1);
                store.ReadRows(layer, r, 1, row);
                hash.AppendData(MemoryMarshal.AsBytes(row.AsSpan()));
            }
        }
        return "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }
}
