using System.Numerics.Tensors;

namespace Lexicon.Features;

/// <summary>A token near a feature's decoder direction, and the cosine between them.</summary>
public readonly record struct NearToken(int Token, float Cosine);

/// <summary>
/// For each feature, the tokens whose basis vector (<see cref="TokenBasis"/>) has the largest cosine with its decoder
/// row. Features are taken in blocks whose decoder rows stay in cache while every candidate token's vector streams past
/// once per block (so the basis, tens of MB for a real vocabulary, is read a few hundred times, not once per feature).
/// </summary>
public static class NearestTokens
{
    private const int Block = 64;

    /// <param name="decoder">[features, d] decoder rows.</param>
    /// <param name="wanted">Which features to look up (the others get an empty list).</param>
    public static NearToken[][] Of(float[] decoder, int features, TokenBasis basis, bool[] wanted, int count)
    {
        int d = basis.D;
        var candidateNorm = basis.Candidates.Select(id => TensorPrimitives.Norm(basis.Rows.AsSpan((int)((long)id * d), d))).ToArray();
        var result = new NearToken[features][];
        var blocks = (features + Block - 1) / Block;
        Parallel.For(0, blocks, b =>
        {
            int first = b * Block, n = Math.Min(Block, features - first);
            var tops = new BoundedTop?[n];
            var norms = new float[n];
            for (int i = 0; i < n; i++)
            {
                result[first + i] = [];
                if (!wanted[first + i]) continue;
                norms[i] = TensorPrimitives.Norm(decoder.AsSpan((first + i) * d, d));
                if (norms[i] > 0) tops[i] = new BoundedTop(count);
            }
            for (int c = 0; c < basis.Candidates.Length; c++)
            {
                if (candidateNorm[c] == 0) continue;
                int id = basis.Candidates[c];
                var row = basis.Rows.AsSpan((int)((long)id * d), d);
                for (int i = 0; i < n; i++)
                {
                    if (tops[i] is not { } top) continue;
                    float cosine = TensorPrimitives.Dot(row, decoder.AsSpan((first + i) * d, d)) / (candidateNorm[c] * norms[i]);
                    top.Offer(id, cosine, cosine);
                }
            }
            for (int i = 0; i < n; i++)
                if (tops[i] is { } top) result[first + i] = [.. top.Sorted().Select(k => new NearToken((int)k.Row, k.Value))];
        });
        return result;
    }
}
