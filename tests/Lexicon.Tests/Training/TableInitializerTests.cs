using Lexicon.Data;
using Lexicon.Model;
using Lexicon.Tests.Kernels;
using Lexicon.Tests.Support;
using Lexicon.Training;

namespace Lexicon.Tests.Training;

/// <summary>How a unigram table starts, on a store small enough to work out by hand: the per-token mean of x − b_dec
/// (--table-init mean), half the model's activation for the token alone (model), and a suite layer's start from the
/// previous layer's rows, each shrunk toward by one pseudo-observation (rows the data never hits keep the carried values).</summary>
public sealed class TableInitializerTests : IDisposable
{
    private const int D = 3, Vocab = 5;
    private static readonly int[] Tokens = [1, 2, 1, 3, 1, 2];
    private readonly Scratch _scratch = new();
    private readonly ActivationStore _store;
    private readonly float[] _x;
    private readonly float[] _bDec = [0.5f, -1f, 2f];
    private readonly long[] _rows = [.. Enumerable.Range(0, Tokens.Length).Select(i => (long)i)];
    private readonly TableLayout _layout = new(TableSpec.Parse("unigram", Vocab, 16));

    public TableInitializerTests()
    {
        var random = new TestRandom(11);
        _x = random.Normal(Tokens.Length * D);
        var manifest = new StoreManifest(D, [0], 0, Vocab, "float32", "test-model", false, null, null);
        using (var writer = new StoreWriter(_scratch["store"], manifest))
        {
            writer.AppendTokens(Tokens, [.. Enumerable.Range(0, Tokens.Length)]);
            writer.AppendRows(0, _x);
            writer.Complete();
        }
        _store = ActivationStore.Open(_scratch["store"]);
    }

    public void Dispose()
    {
        _store.Dispose();
        _scratch.Dispose();
    }

    /// <summary>Σ (x − b_dec) and the count over the tokens equal to <paramref name="token"/>.</summary>
    private (double[] Sum, int Count) Residuals(int token)
    {
        var sum = new double[D];
        int count = 0;
        for (int b = 0; b < Tokens.Length; b++)
        {
            if (Tokens[b] != token) continue;
            count++;
            for (int i = 0; i < D; i++) sum[i] += _x[b * D + i] - _bDec[i];
        }
        return (sum, count);
    }

    [Fact]
    public void Mean_is_each_tokens_mean_residual_and_zero_where_unseen()
    {
        var table = TableInitializer.Initialize("mean", _layout, _store, 0, _bDec, _rows, 100, 0).Table(0);
        for (int t = 0; t < Vocab; t++)
        {
            var (sum, count) = Residuals(t);
            for (int i = 0; i < D; i++)
                Assert.Equal(count == 0 ? 0 : sum[i] / count, table[t * D + i], 1e-5);
        }
    }

    [Fact]
    public void Carried_rows_are_shrunk_toward_by_the_data_and_kept_where_unseen()
    {
        var previous = TableWeights.Zeros(_layout, D);
        var random = new TestRandom(12);
        random.Normal(Vocab * D).CopyTo(previous.Values, 0);
        var before = (float[])previous.Values.Clone();
        var table = TableInitializer.Carry(previous, _store, 0, _bDec, _rows, 100, 0).Table(0);
        Assert.Equal(before, previous.Values);
        for (int t = 0; t < Vocab; t++)
        {
            var (sum, count) = Residuals(t);
            for (int i = 0; i < D; i++)
            {
                double prior = before[t * D + i];
                double expected = (sum[i] + TableInitializer.CarriedWeight * prior) / (count + TableInitializer.CarriedWeight);
                Assert.Equal(expected, table[t * D + i], 1e-5);
            }
        }
    }

    [Fact]
    public void Model_is_half_the_tokens_own_activation_and_needs_the_stores_model()
    {
        var activations = new FixedActivations("test-model", new TestRandom(13).Normal(Vocab * D));
        var table = TableInitializer.Initialize("model", _layout, _store, 0, _bDec, _rows, 100, 0, activations).Table(0);
        for (int j = 0; j < Vocab * D; j++) Assert.Equal(0.5 * activations.Values[j], table[j], 6);
        var other = new FixedActivations("another-model", activations.Values);
        var e = Assert.Throws<BadInputException>(() => TableInitializer.Initialize("model", _layout, _store, 0, _bDec, _rows, 100, 0, other));
        Assert.Contains("--table-init model", e.Message);
        var wider = new FixedActivations("test-model", new float[(Vocab + 1) * D], Vocab + 1);
        e = Assert.Throws<BadInputException>(() => TableInitializer.Initialize("model", _layout, _store, 0, _bDec, _rows, 100, 0, wider));
        Assert.Contains("manifest.json", e.Message);
        Assert.Contains("vocab_size", e.Message);
    }

    private sealed class FixedActivations(string model, float[] values, int vocab = Vocab) : ITokenActivations
    {
        public float[] Values => values;
        public string Model => model;
        public int VocabSize => vocab;
        public int D => TableInitializerTests.D;
        public float[] ForLayer(int layer, int vocab) => values;
    }
}
