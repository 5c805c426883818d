using Lexicon.Models;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Lexicon.Tests.Models;

/// <summary>The encoder's graph, with each layer's attention fused into one MultiHeadAttention node, computes the same
/// hidden states as the graph as exported (run here with its attention mask, all ones).</summary>
[Collection(MiniLmCollection.Name)]
public sealed class AttentionFusionTests(MiniLmFixture model)
{
    [Fact]
    public void Fused_attention_gives_the_exported_graphs_hidden_states()
    {
        const int sequences = 2, length = MiniLm.MaxSequenceLength;
        var random = new Random(11);
        int[] tokens = [.. Enumerable.Range(0, sequences * length).Select(_ => random.Next(999, 30522))];
        int[] hiddenStates = [.. Enumerable.Range(0, MiniLm.HiddenStates)];
        var (exported, outputNames) = HiddenStateGraph.Expose(ModelProto.Parser.ParseFrom(MiniLm.ModelBytes()), hiddenStates);

        using var session = new InferenceSession(exported);
        long[] shape = [sequences, length];
        using var ids = OrtValue.CreateTensorValueFromMemory(tokens.Select(t => (long)t).ToArray(), shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, tokens.Length).ToArray(), shape);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[tokens.Length], shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [ids, mask, types], outputNames);

        foreach (int h in hiddenStates)
        {
            var expected = outputs[h].GetTensorDataAsSpan<float>().ToArray();
            float[] fused = model.Run(tokens, length, h);
            double worst = expected.Zip(fused, (e, f) => Math.Abs(e - f)).Max();
            Assert.True(worst < 1e-4, $"hidden state {h}: largest difference {worst:E2}");
        }
    }
}
