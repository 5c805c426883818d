using Lexicon.Models;

namespace Lexicon.Tests.Models;

/// <summary>--table-init model's source: row t of every layer is the model's hidden state at t for [CLS] t [SEP], run on
/// its own here, for tokens on both sides of a batch boundary and the last (partial) batch.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class TokenActivationsTests(MiniLmFixture model)
{
    [Fact]
    public void Each_row_is_the_token_alone_between_cls_and_sep()
    {
        var activations = new MiniLmTokenActivations();
        int vocab = model.Tokenizer.VocabularySize;
        const int d = MiniLm.DModel;
        foreach (int layer in new[] { 0, 3, 6 })
        {
            float[] table = activations.ForLayer(layer, vocab);
            Assert.Equal((long)vocab * d, table.Length);
            foreach (int token in new[] { 0, 511, 512, 2154, vocab - 1 })
            {
                float[] alone = model.Run([model.Tokenizer.ClsId, token, model.Tokenizer.SepId], 3, layer);
                double worst = 0;
                for (int j = 0; j < d; j++) worst = Math.Max(worst, Math.Abs(alone[d + j] - table[(long)token * d + j]));
                Assert.True(worst < 1e-4, $"layer {layer}, token {token}: largest difference {worst:E2}");
            }
        }
        Assert.Throws<ArgumentException>(() => activations.ForLayer(2, vocab - 1));
    }
}
