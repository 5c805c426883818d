using Onnx;

namespace Lexicon.Models;

/// <summary>The embedded model rewritten once for a set of hidden states (attention fused, the states exposed as
/// outputs), ready for any number of ONNX Runtime sessions.</summary>
public sealed class MiniLmGraph
{
    private MiniLmGraph(byte[] model, string[] outputNames, IReadOnlyList<int> hiddenStates)
    {
        Model = model;
        OutputNames = outputNames;
        HiddenStates = hiddenStates;
    }

    public byte[] Model { get; }

    public string[] OutputNames { get; }

    /// <summary>0 = embeddings, N = after encoder layer N−1, in the order of <see cref="OutputNames"/>.</summary>
    public IReadOnlyList<int> HiddenStates { get; }

    public static MiniLmGraph For(IReadOnlyList<int> hiddenStates)
    {
        if (hiddenStates.Count == 0) throw new ArgumentException("no hidden state asked for", nameof(hiddenStates));
        var graph = ModelProto.Parser.ParseFrom(MiniLm.ModelBytes());
        AttentionFusion.Apply(graph);
        var (model, outputs) = HiddenStateGraph.Expose(graph, hiddenStates);
        return new MiniLmGraph(model, outputs, [.. hiddenStates]);
    }
}
