namespace Lexicon.Suite;

/// <summary>
/// One family of pooled features: the own latents of one layer's SAE, or the enriched-token SAE's. Each feature keeps
/// its identity across layers: its activation is its code at birth (computed once per token by the encoder of its birth
/// layer on that layer's activation), its direction at birth is the birth SAE's decoder row, and Death[m] records the
/// layer at which its pooled decoder fell below the pruning norm (-1: still pooled).
/// </summary>
public sealed class PoolSource(string name, int birthLayer, int latents, int k, int d, float[] birthDecoder, int[] codeIndex, float[] codeValue)
{
    public string Name { get; } = name;
    public int BirthLayer { get; } = birthLayer;
    public int Latents { get; } = latents;
    public int K { get; } = k;
    public int D { get; } = d;

    /// <summary>[Latents, d]: the decoder rows at birth (unit norm).</summary>
    public float[] BirthDecoder { get; } = birthDecoder;

    /// <summary>[tokens, K]: each token's code at birth (latent, -1 for none).</summary>
    public int[] CodeIndex { get; } = codeIndex;
    public float[] CodeValue { get; } = codeValue;

    public int[] Death { get; } = Enumerable.Repeat(-1, latents).ToArray();

    public bool Pooled(int latent) => Death[latent] < 0;
}
