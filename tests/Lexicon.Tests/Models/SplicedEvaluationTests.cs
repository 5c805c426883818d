using Lexicon.Models;

namespace Lexicon.Tests.Models;

/// <summary>The tail of the model from hidden state 3 on, built once for the spliced-evaluation tests.</summary>
public sealed class MiniLmTailFixture : IDisposable
{
    public const int HiddenState = 3;

    public MiniLmTail Tail { get; } = new(HiddenState);

    public void Dispose() => Tail.Dispose();
}

/// <summary>
/// <see cref="MiniLmTail"/> continues the model from a hidden state as the whole model does, and
/// <see cref="SplicedEvaluation"/>'s cosines behave at their ends: an identity reconstruction recovers everything, a
/// reconstruction that is the mean recovers nothing, ablation moves the embedding.
/// </summary>
[Collection(MiniLmCollection.Name)]
public sealed class SplicedEvaluationTests(MiniLmFixture model, MiniLmTailFixture tails) : IClassFixture<MiniLmTailFixture>
{
    private const int D = MiniLm.DModel;
    private const int Last = MiniLm.HiddenStates - 1;
    private static readonly string[] Texts = ["The weather is lovely today.", "He drove to the stadium in the rain.", "Cats sleep."];

    /// <summary>Tolerance: every element of the tail's output within 1e-4 × the largest |value| of hidden state 6.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void The_tail_from_hidden_state_L_gives_the_models_last_hidden_state(int hiddenState)
    {
        using var tail = hiddenState == MiniLmTailFixture.HiddenState ? null : new MiniLmTail(hiddenState);
        var run = tail ?? tails.Tail;
        foreach (string text in Texts)
        {
            var (from, expected, length) = States(text, hiddenState);
            var actual = new float[expected.Length];
            run.Run(from, 1, length, actual);
            double scale = expected.Max(Math.Abs), worst = 0;
            for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
            Assert.True(worst <= 1e-4 * scale, $"hidden state {hiddenState}, '{text}': largest difference {worst:E2} of {scale:F3}");
        }
    }

    [Fact]
    public void The_cut_graph_has_one_input_and_the_identity_tail_none()
    {
        Assert.Single(tails.Tail.InputNames);
        using var identity = new MiniLmTail(Last);
        Assert.Empty(identity.InputNames);
    }

    [Fact]
    public void An_identity_reconstruction_gives_cosine_1_and_recovers_everything()
    {
        var sequences = Sequences(rows => rows, replaceCls: true);
        var result = SplicedEvaluation.Run(tails.Tail, sequences, Mean(sequences));
        Assert.Equal(Texts.Length, result.Sequences);
        Assert.Equal(sequences.Sum(s => (long)s.Length), result.ReplacedTokens);
        Assert.True(Math.Abs(result.CosSpliced - 1) < 1e-6, $"cos_spliced {result.CosSpliced:F9}");
        Assert.True(Math.Abs(result.EmbeddingRecovered - 1) < 1e-5, $"embedding_recovered {result.EmbeddingRecovered:F9}");
    }

    [Fact]
    public void A_reconstruction_equal_to_the_mean_recovers_nothing()
    {
        var clean = Sequences(rows => rows, replaceCls: false);
        float[] mean = Mean(clean);
        var sequences = Sequences(rows => MeanAt(rows, mean), replaceCls: false);
        var result = SplicedEvaluation.Run(tails.Tail, sequences, mean);
        Assert.True(result.CosMeanAblated < 1 - 1e-3, $"cos_mean_ablated {result.CosMeanAblated:F6}");
        Assert.True(Math.Abs(result.EmbeddingRecovered) < 1e-5, $"embedding_recovered {result.EmbeddingRecovered:E2}");
    }

    [Fact]
    public void Zero_ablation_moves_the_embedding_away_from_clean()
    {
        var sequences = Sequences(rows => rows, replaceCls: false);
        var result = SplicedEvaluation.Run(tails.Tail, sequences, Mean(sequences));
        Assert.True(result.CosZeroAblated < 1 - 1e-3, $"cos_zero_ablated {result.CosZeroAblated:F6}");
    }

    [Fact]
    public void Json_has_snake_case_keys_and_null_for_nan()
    {
        var json = new SplicedResult(2, 10, 0.9, 0.5, 1).ToJson();
        Assert.Equal(2, (int)json["sequences"]!);
        Assert.Equal(10, (long)json["replaced_tokens"]!);
        Assert.Equal(0.9, (double)json["cos_spliced"]!);
        Assert.Equal(0.5, (double)json["cos_zero_ablated"]!);
        Assert.Equal(1, (double)json["cos_mean_ablated"]!);
        Assert.True(json.ContainsKey("embedding_recovered"));
        Assert.Null(json["embedding_recovered"]);
    }

    [Fact]
    public void Embedding_recovered_is_the_spliced_cosines_share_of_the_way_from_mean_ablation_to_1()
    {
        Assert.Equal(0.5, new SplicedResult(1, 1, 0.75, 0.2, 0.5).EmbeddingRecovered, 12);
        Assert.Equal(-1, new SplicedResult(1, 1, 0.0, 0.2, 0.5).EmbeddingRecovered, 12);
    }

    /// <summary>Hidden states L and 6 of [CLS] text [SEP] from one forward pass.</summary>
    private (float[] From, float[] Last, int Length) States(string text, int hiddenState)
    {
        int[] tokens = model.Sentence(text);
        using var batch = model.Encoder.CreateBatch(1, tokens.Length);
        batch.SetTokens(tokens);
        model.Encoder.Run(batch);
        return (batch.HiddenState(hiddenState).ToArray(), batch.HiddenState(Last).ToArray(), tokens.Length);
    }

    /// <summary>The texts' hidden state 3, each with a "reconstruction" made from its clean rows; every token replaced,
    /// or every one but [CLS].</summary>
    private List<SplicedSequence> Sequences(Func<float[], float[]> reconstruct, bool replaceCls) =>
    [
        .. Texts.Select(text =>
        {
            var (clean, _, length) = States(text, MiniLmTailFixture.HiddenState);
            bool[] replaced = [.. Enumerable.Range(0, length).Select(t => replaceCls || t > 0)];
            float[] reconstruction = reconstruct(clean);
            float[] spliced = [.. clean];
            for (int t = 0; t < length; t++)
                if (replaced[t]) Array.Copy(reconstruction, t * D, spliced, t * D, D);
            return new SplicedSequence(clean, spliced, replaced);
        }),
    ];

    /// <summary>The mean clean row over all the sequences' tokens: the layer's mean activation on this text.</summary>
    private static float[] Mean(IReadOnlyList<SplicedSequence> sequences)
    {
        var sum = new double[D];
        long tokens = 0;
        foreach (var s in sequences)
            for (int t = 0; t < s.Length; t++, tokens++)
                for (int j = 0; j < D; j++) sum[j] += s.Clean[t * D + j];
        return [.. sum.Select(v => (float)(v / tokens))];
    }

    private static float[] MeanAt(float[] rows, float[] mean)
    {
        var result = new float[rows.Length];
        for (int t = 0; t < rows.Length / D; t++) mean.CopyTo(result, t * D);
        return result;
    }
}
