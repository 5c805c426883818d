using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Lexicon.Models;

/// <summary>
/// all-MiniLM-L6-v2 from hidden state L on: the graph (attention fused, as <see cref="MiniLmEncoder"/> runs it) cut so
/// that hidden state L is its input and the last encoder layer's output (hidden state 6, before pooling) its output,
/// the nodes below the cut pruned. What is left reads nothing else: the fused attention takes no padding mask, so
/// attention_mask, input_ids and token_type_ids all fall away with the embeddings. Batches hold equal-length sequences
/// without padding, as the encoder's do. For L = 6 the tail is the identity and runs no session.
/// </summary>
public sealed class MiniLmTail : IDisposable
{
    private const int Last = MiniLm.HiddenStates - 1;

    private readonly InferenceSession? _session;
    private readonly RunOptions _runOptions = new();
    private readonly string _inputName = "";
    private readonly string _outputName = "";

    /// <param name="hiddenState">The hidden state the tail starts from (0 = embeddings, N = after encoder layer N−1).</param>
    /// <param name="threads">ONNX Runtime's intra-op threads; 0 for one per core.</param>
    public MiniLmTail(int hiddenState, int threads = 0)
    {
        if (hiddenState is < 0 or > Last)
            throw new ArgumentOutOfRangeException(nameof(hiddenState), hiddenState, $"hidden states are 0..{Last}");
        HiddenState = hiddenState;
        if (hiddenState == Last)
        {
            InputNames = [];
            return;
        }
        var (model, input, output) = Cut(hiddenState);
        _inputName = input;
        _outputName = output;
        using var options = SessionSettings.Create(threads);
        _session = new InferenceSession(model, options);
        InputNames = [.. _session.InputMetadata.Keys];
        // A leftover input would mean the cut missed a path from below it, and Run would not know what to feed.
        if (InputNames.Count != 1 || InputNames[0] != input)
            throw new InvalidDataException($"the graph cut at hidden state {hiddenState} reads {string.Join(", ", InputNames)}, not only {input}");
    }

    public int HiddenState { get; }

    /// <summary>The cut session's inputs (only the hidden-state tensor); empty for the identity tail.</summary>
    internal IReadOnlyList<string> InputNames { get; }

    /// <summary>Hidden state 6 of <paramref name="sequences"/> consecutive sequences of <paramref name="length"/> tokens
    /// from their hidden state L, both row-major [sequences × length, 384].</summary>
    public void Run(ReadOnlySpan<float> hidden, int sequences, int length, Span<float> last)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequences, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        long size = (long)sequences * length * MiniLm.DModel;
        if (hidden.Length != size) throw new ArgumentException($"{hidden.Length} values for {sequences} × {length} × {MiniLm.DModel}", nameof(hidden));
        if (last.Length != size) throw new ArgumentException($"{last.Length} values for {sequences} × {length} × {MiniLm.DModel}", nameof(last));
        if (_session is null)
        {
            hidden.CopyTo(last);
            return;
        }
        // ONNX Runtime reads and writes managed arrays in place; spans have to be copied into them.
        float[] input = hidden.ToArray(), output = GC.AllocateUninitializedArray<float>((int)size);
        long[] shape = [sequences, length, MiniLm.DModel];
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var outputValue = OrtValue.CreateTensorValueFromMemory(output, shape);
        _session.Run(_runOptions, [_inputName], [inputValue], [_outputName], [outputValue]);
        output.CopyTo(last);
    }

    public void Dispose()
    {
        _session?.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>The fused graph with hidden state <paramref name="from"/> as its input and hidden state 6 as its output.</summary>
    private static (byte[] Model, string Input, string Output) Cut(int from)
    {
        var model = ModelProto.Parser.ParseFrom(MiniLm.ModelBytes());
        AttentionFusion.Apply(model);
        var graph = model.Graph;
        string input = HiddenStateGraph.HiddenStateTensor(graph, from), output = HiddenStateGraph.HiddenStateTensor(graph, Last);
        graph.Output.Clear();
        graph.Output.Add(HiddenStateGraph.FloatTensor(output));
        var cut = HiddenStateGraph.FloatTensor(input);
        cut.Type.TensorType.Shape = new TensorShapeProto
        {
            Dim =
            {
                new TensorShapeProto.Types.Dimension { DimParam = "batch" },
                new TensorShapeProto.Types.Dimension { DimParam = "sequence" },
                new TensorShapeProto.Types.Dimension { DimValue = MiniLm.DModel },
            },
        };
        graph.Input.Add(cut);
        // The tensor may also be described among the intermediate values; a graph input must not be described twice.
        for (int i = graph.ValueInfo.Count - 1; i >= 0; i--)
            if (graph.ValueInfo[i].Name == input) graph.ValueInfo.RemoveAt(i);
        HiddenStateGraph.Prune(graph, new HashSet<string> { input });
        return (model.ToByteArray(), input, output);
    }
}
