using Lexicon.Data;

namespace Lexicon.Tests.Synthetic;

/// <summary>The activation store of the default world: manifest, files, and the token process of §6.</summary>
[Collection(DefaultWorldCollection.Name)]
public sealed class SyntheticStoreTests(DefaultWorldFixture world)
{
    [Fact]
    public void Manifest_describes_the_store()
    {
        StoreManifest m = world.Manifest;
        Assert.Equal((64, 512, (long)DefaultWorldFixture.Tokens, "float32", "synthetic", false, "synthetic"),
            (m.DModel, m.VocabSize, m.Tokens, m.DType, m.Model, m.Bidirectional, m.Tokenizer));
        Assert.Equal([0, 1, 2, 3], m.Layers);

        StoreManifest onDisk = world.Store.Manifest;
        Assert.Equal(m with { Layers = onDisk.Layers }, onDisk);
        Assert.Equal(m.Layers, onDisk.Layers);
        foreach (int layer in m.Layers)
            Assert.Equal((m.Tokens, 64L), (world.Store.Layer(layer).Rows, world.Store.Layer(layer).Columns));
    }

    [Fact]
    public void Tokens_are_in_the_vocabulary_and_positions_restart_every_sequence()
    {
        int[] tokens = world.Store.Tokens, positions = world.Store.Positions;
        Assert.All(tokens, t => Assert.InRange(t, 0, 511));
        for (int i = 0; i < positions.Length; i++)
            Assert.Equal(i % 64, positions[i]);
    }

    [Fact]
    public void Id_zero_is_the_most_frequent_token()
    {
        var counts = new int[512];
        foreach (int t in world.Store.Tokens) counts[t]++;
        Assert.Equal(0, Array.IndexOf(counts, counts.Max()));
    }

    /// <summary>A non-initial token follows its predecessor's successor list with probability 1 − q, and a fresh
    /// Zipf draw (probability q) may land in that list too: the observed share must match that exactly computed
    /// expectation, which for the defaults lies a little under 0.6.</summary>
    [Fact]
    public void About_half_of_later_tokens_are_successors()
    {
        int[] tokens = world.Store.Tokens, positions = world.Store.Positions, successors = world.Truth.Successors;
        double q = world.Options.FreshTokenProbability;
        double[] zipf = ZipfProbabilities(512, world.Options.ZipfExponent);
        double observed = 0, expected = 0;
        int count = 0;
        for (int i = 1; i < tokens.Length; i++)
        {
            if (positions[i] == 0) continue;
            int[] list = successors.AsSpan(tokens[i - 1] * 4, 4).ToArray();
            observed += list.Contains(tokens[i]) ? 1 : 0;
            expected += 1 - q + q * list.Distinct().Sum(s => zipf[s]);
            count++;
        }
        observed /= count;
        expected /= count;
        Assert.InRange(observed, expected - 0.01, expected + 0.01);
        Assert.InRange(observed, 0.5, 0.6);
    }

    [Fact]
    public void Planted_bigrams_are_the_frequent_tokens_with_their_first_successor()
    {
        var truth = world.Truth;
        Assert.Equal(256, truth.BigramCount);
        for (int t = 0; t < truth.BigramCount; t++)
            Assert.Equal((t, truth.Successors[t * 4]), (truth.BigramKeys[2 * t], truth.BigramKeys[2 * t + 1]));
    }

    private static double[] ZipfProbabilities(int vocab, double exponent)
    {
        double[] weights = [.. Enumerable.Range(1, vocab).Select(rank => Math.Pow(rank, -exponent))];
        double total = weights.Sum();
        return [.. weights.Select(w => w / total)];
    }
}
