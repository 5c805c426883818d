using Lexicon.Data;
using Lexicon.Models;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Models;

/// <summary>A store extracted from a small text: valid, float16, seven layers, the requested token count, positions
/// restarting at each [CLS], special tokens recorded, and rows equal to the model's own output.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class ExtractTests(MiniLmFixture model)
{
    /// <summary>About 1,100 tokens of plain English over a few paragraphs.</summary>
    public static string SampleText()
    {
        string[] subjects = ["The river", "A small dog", "Our neighbour", "The committee", "An old train"];
        string[] verbs = ["crossed", "watched", "remembered", "approved", "carried"];
        string[] objects = ["the quiet valley", "every passing cloud", "a forgotten song", "the new budget", "three sleepy passengers"];
        var lines = new List<string>();
        for (int i = 0; i < 100; i++)
        {
            lines.Add($"{subjects[i % 5]} {verbs[i / 5 % 5]} {objects[i / 25 % 5]} on day {i}.");
            if (i % 10 == 9) lines.Add("");
        }
        return string.Join("\n", lines);
    }

    [Fact]
    public void Store_is_valid_and_holds_the_models_hidden_states()
    {
        using var scratch = new Scratch();
        File.WriteAllText(scratch["text.txt"], SampleText());
        var options = new ExtractOptions { Tokens = 600, BatchSequences = 2 };
        var result = ActivationExtractor.Extract(TextFiles.Lines([scratch["text.txt"]]), "text.txt", options, scratch["store"]);

        using var store = ActivationStore.Open(scratch["store"]);
        var m = store.Manifest;
        Assert.Equal((600L, "float16", 384, 30522), (m.Tokens, m.DType, m.DModel, m.VocabSize));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], m.Layers);
        Assert.Equal([model.Tokenizer.ClsId, model.Tokenizer.SepId], m.SpecialTokens);
        Assert.True(m.Bidirectional);
        Assert.Equal(MiniLm.ModelName, m.Model);
        Assert.Equal(MiniLm.TokenizerName, m.Tokenizer);
        Assert.Equal(3, result.Sequences);

        // Sequences of 256, 256 and 88 tokens: positions restart at each [CLS], and each ends in [SEP].
        int[] starts = [.. Enumerable.Range(0, 600).Where(i => store.Positions[i] == 0)];
        Assert.Equal([0, 256, 512], starts);
        Assert.All(starts, i => Assert.Equal(model.Tokenizer.ClsId, store.Tokens[i]));
        Assert.All((int[])[255, 511, 599], i => Assert.Equal(model.Tokenizer.SepId, store.Tokens[i]));
        Assert.Equal(Enumerable.Range(0, 88), store.Positions[512..]);

        // Each sequence run alone gives the stored rows.
        foreach (var (start, length) in (ReadOnlySpan<(int, int)>)[(0, 256), (256, 256), (512, 88)])
        {
            foreach (int layer in m.Layers) AssertStoredAsModelRunsIt(store, start, length, layer);
        }
    }

    /// <summary>Sequences of 32: 12 full ones in batches of 2 (three per worker, so buffers are reused) and a last one
    /// of 5; every sequence stored is what the model gives for it alone.</summary>
    [Fact]
    public void Max_length_packs_shorter_sequences()
    {
        using var scratch = new Scratch();
        File.WriteAllText(scratch["text.txt"], SampleText());
        var options = new ExtractOptions { Tokens = 12 * 32 + 5, MaxLength = 32, BatchSequences = 2, Layers = [0, 6] };
        var result = ActivationExtractor.Extract(TextFiles.Lines([scratch["text.txt"]]), "text.txt", options, scratch["store"]);

        using var store = ActivationStore.Open(scratch["store"]);
        Assert.Equal(13, result.Sequences);
        Assert.Equal([.. Enumerable.Range(0, 13).Select(s => s * 32)], Enumerable.Range(0, 389).Where(i => store.Positions[i] == 0));
        for (int s = 0; s < 13; s++)
        {
            int start = s * 32, length = s < 12 ? 32 : 5;
            Assert.Equal(model.Tokenizer.SepId, store.Tokens[start + length - 1]);
            AssertStoredAsModelRunsIt(store, start, length, 6);
        }
    }

    /// <summary>The stored rows of the sequence at <paramref name="start"/> equal the model's output for that sequence
    /// run alone, float16 rounding aside.</summary>
    private void AssertStoredAsModelRunsIt(ActivationStore store, int start, int length, int layer)
    {
        var rows = new float[length * MiniLm.DModel];
        store.ReadRows(layer, start, length, rows);
        float[] expected = model.Run(store.Tokens.AsSpan(start, length), length, layer);
        for (int i = 0; i < rows.Length; i++)
            Assert.True(Math.Abs(rows[i] - expected[i]) <= 2e-3 * Math.Max(1, Math.Abs(expected[i])),
                $"layer {layer}, row {start + i / MiniLm.DModel}: stored {rows[i]}, model {expected[i]}");
    }

    [Fact]
    public void Text_with_no_tokens_is_bad_input_and_writes_nothing()
    {
        using var scratch = new Scratch();
        var e = Assert.Throws<BadInputException>(() =>
            ActivationExtractor.Extract([], "empty.txt", new ExtractOptions(), scratch["store"]));
        Assert.Equal("empty.txt", e.File);
        Assert.False(Directory.Exists(scratch["store"]));
    }
}
