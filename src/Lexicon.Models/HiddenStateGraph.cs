using Google.Protobuf;
using Google.Protobuf.Collections;
using Onnx;

namespace Lexicon.Models;

/// <summary>
/// Rewrites the exported graph so that one forward pass returns the chosen hidden states: the outputs of the Add nodes
/// that apply the LayerNorm bias after the embeddings (<c>embeddings.LayerNorm.bias</c>, hidden state 0) and after each
/// encoder layer (<c>encoder.layer.N.output.LayerNorm.bias</c>, hidden state N+1). They replace the graph's outputs, and
/// nodes that no longer feed an output are dropped: the pooler always, the layers above the deepest one asked for.
/// </summary>
public static class HiddenStateGraph
{
    /// <summary>Rewrites <paramref name="model"/> in place to output <paramref name="hiddenStates"/>, in that order; returns
    /// it serialized, and the outputs' tensor names.</summary>
    public static (byte[] Model, string[] OutputNames) Expose(ModelProto model, IReadOnlyList<int> hiddenStates)
    {
        var graph = model.Graph;
        string[] names = hiddenStates.Select(h => HiddenStateTensor(graph, h)).ToArray();
        graph.Output.Clear();
        foreach (string name in names) graph.Output.Add(FloatTensor(name));
        Prune(graph);
        return (model.ToByteArray(), names);
    }

    internal static ValueInfoProto FloatTensor(string name) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
    };

    /// <summary>The initializer that the Add producing hidden state <paramref name="hiddenState"/> adds.</summary>
    private static string BiasName(int hiddenState) =>
        hiddenState == 0 ? "embeddings.LayerNorm.bias" : $"encoder.layer.{hiddenState - 1}.output.LayerNorm.bias";

    internal static string HiddenStateTensor(GraphProto graph, int hiddenState)
    {
        if (hiddenState is < 0 or >= MiniLm.HiddenStates)
            throw new ArgumentOutOfRangeException(nameof(hiddenState), hiddenState, $"hidden states are 0..{MiniLm.HiddenStates - 1}");
        string bias = BiasName(hiddenState);
        var adds = graph.Node.Where(n => n.OpType == "Add" && n.Input.Contains(bias)).ToList();
        if (adds.Count != 1) throw new InvalidDataException($"expected one Add of {bias} in the graph, found {adds.Count}");
        return adds[0].Output[0];
    }

    /// <summary>Keeps the nodes, initializers and inputs that the outputs need (ONNX lists nodes in topological order).
    /// Tensors in <paramref name="provided"/> are graph inputs: the nodes that computed them are not needed for them.</summary>
    internal static void Prune(GraphProto graph, IReadOnlySet<string>? provided = null)
    {
        var needed = new HashSet<string>(graph.Output.Select(o => o.Name));
        var kept = new List<NodeProto>();
        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(o => needed.Contains(o) && provided?.Contains(o) != true)) continue;
            kept.Add(node);
            needed.UnionWith(node.Input);
        }
        kept.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        RemoveWhere(graph.Initializer, t => !needed.Contains(t.Name));
        RemoveWhere(graph.Input, v => !needed.Contains(v.Name));
    }

    private static void RemoveWhere<T>(RepeatedField<T> items, Func<T, bool> unused)
    {
        for (int i = items.Count - 1; i >= 0; i--)
            if (unused(items[i])) items.RemoveAt(i);
    }
}
