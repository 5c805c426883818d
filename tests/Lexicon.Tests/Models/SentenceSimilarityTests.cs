using Lexicon.Models;

namespace Lexicon.Tests.Models;

/// <summary>
/// The embedded model runs right: sentence embeddings made the sentence-transformers way (last hidden state, mean over
/// all tokens including [CLS] and [SEP], L2-normalised) reproduce the cosine similarities published for
/// all-MiniLM-L6-v2 (sentence-transformers' quickstart: 0.6660, 0.1046, 0.1411).
/// </summary>
[Collection(MiniLmCollection.Name)]
public sealed class SentenceSimilarityTests(MiniLmFixture model)
{
    private const string Weather = "The weather is lovely today.";
    private const string Sunny = "It's so sunny outside!";
    private const string Stadium = "He drove to the stadium.";

    [Theory]
    [InlineData(Weather, Sunny, 0.6660)]
    [InlineData(Weather, Stadium, 0.1046)]
    [InlineData(Sunny, Stadium, 0.1411)]
    public void Cosine_similarity_matches_the_published_value(string a, string b, double published)
    {
        double cosine = Dot(Embed(a), Embed(b));
        Assert.True(Math.Abs(cosine - published) < 5e-4, $"cosine {cosine:F5}, published {published:F4}");
    }

    [Fact]
    public void A_batch_gives_each_sequence_what_it_gets_alone()
    {
        int[] first = model.Sentence(Weather), second = model.Sentence(Stadium);
        Assert.Equal(first.Length, second.Length);
        int last = MiniLm.HiddenStates - 1;
        float[] alone = [.. Run([first], last), .. Run([second], last)];
        float[] together = Run([first, second], last);
        for (int i = 0; i < alone.Length; i++)
            Assert.True(Math.Abs(alone[i] - together[i]) < 1e-4, $"element {i}: {alone[i]} alone, {together[i]} batched");
    }

    private double[] Embed(string sentence)
    {
        int[] tokens = model.Sentence(sentence);
        float[] states = Run([tokens], MiniLm.HiddenStates - 1);
        var mean = new double[MiniLm.DModel];
        for (int t = 0; t < tokens.Length; t++)
            for (int j = 0; j < MiniLm.DModel; j++)
                mean[j] += states[t * MiniLm.DModel + j] / tokens.Length;
        double norm = Math.Sqrt(Dot(mean, mean));
        return [.. mean.Select(v => v / norm)];
    }

    private float[] Run(int[][] sequences, int hiddenState) =>
        model.Run(sequences.SelectMany(s => s).ToArray(), sequences[0].Length, hiddenState);

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
