using System.Runtime.InteropServices;
using Lexicon.Models;
using Onnx;

namespace Lexicon.Tests.Models;

/// <summary>Hidden state 0 is what BERT's embedding block computes, recomputed here from the raw weights in the ONNX
/// initializers: LayerNorm(word[t] + position[i] + token_type[0]) with ε = 1e-12.</summary>
[Collection(MiniLmCollection.Name)]
public sealed class EmbeddingLayerTests(MiniLmFixture model)
{
    [Fact]
    public void Hidden_state_0_is_embeddings_plus_layer_norm_from_the_weights()
    {
        var weights = ModelProto.Parser.ParseFrom(MiniLm.ModelBytes()).Graph.Initializer.ToDictionary(t => t.Name);
        float[] word = Floats(weights["embeddings.word_embeddings.weight"]);
        float[] position = Floats(weights["embeddings.position_embeddings.weight"]);
        float[] tokenType = Floats(weights["embeddings.token_type_embeddings.weight"]);
        float[] gamma = Floats(weights["embeddings.LayerNorm.weight"]);
        float[] beta = Floats(weights["embeddings.LayerNorm.bias"]);

        // Every position of a full-length sequence, with ids from all over the vocabulary.
        var random = new Random(7);
        int[] tokens = [model.Tokenizer.ClsId, .. Enumerable.Range(0, MiniLm.MaxSequenceLength - 2).Select(_ => random.Next(999, 30522)), model.Tokenizer.SepId];
        float[] actual = model.Run(tokens, tokens.Length, 0);

        const int d = MiniLm.DModel;
        double worst = 0;
        var x = new double[d];
        for (int i = 0; i < tokens.Length; i++)
        {
            for (int j = 0; j < d; j++)
                x[j] = (double)word[tokens[i] * d + j] + position[i * d + j] + tokenType[j];
            double mean = x.Average();
            double variance = x.Select(v => (v - mean) * (v - mean)).Average();
            for (int j = 0; j < d; j++)
            {
                double expected = (x[j] - mean) / Math.Sqrt(variance + 1e-12) * gamma[j] + beta[j];
                worst = Math.Max(worst, Math.Abs(expected - actual[i * d + j]));
            }
        }
        Assert.True(worst < 1e-4, $"largest difference {worst:E2}");
    }

    private static float[] Floats(TensorProto tensor)
    {
        Assert.Equal((int)TensorProto.Types.DataType.Float, tensor.DataType);
        return MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
    }
}
