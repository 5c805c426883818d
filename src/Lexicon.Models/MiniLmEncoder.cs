using Microsoft.ML.OnnxRuntime;

namespace Lexicon.Models;

/// <summary>
/// Runs all-MiniLM-L6-v2 with ONNX Runtime on batches of equal-length token sequences and returns the chosen hidden
/// states from one forward pass, [sequences × length, 384] each. A batch has no padding (its sequences share a length),
/// so every output row is a token.
/// </summary>
public sealed class MiniLmEncoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    /// <param name="hiddenStates">Hidden states to return (0 = embeddings, N = after encoder layer N−1), in this order.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads; 0 for one per core.</param>
    public MiniLmEncoder(IReadOnlyList<int> hiddenStates, int threads = 0)
        : this(MiniLmGraph.For(hiddenStates), threads, flushDenormals: false)
    {
    }

    /// <param name="flushDenormals">ONNX Runtime's denormals-as-zero: it sets FTZ/DAZ on the thread that constructs the
    /// session (which, with one intra-op thread, is the thread that should then run it) and on its own pool threads.
    /// Only for a session made on a thread of its own that ends with it: the flags would otherwise stay on a thread
    /// that goes on to train.</param>
    public MiniLmEncoder(MiniLmGraph graph, int threads, bool flushDenormals)
    {
        HiddenStates = graph.HiddenStates;
        _outputNames = graph.OutputNames;
        using var options = SessionSettings.Create(threads);
        if (flushDenormals) options.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
        _session = new InferenceSession(graph.Model, options);
        _inputNames = [.. _session.InputMetadata.Keys];
    }

    public IReadOnlyList<int> HiddenStates { get; }

    /// <summary>Buffers for batches of <paramref name="sequences"/> sequences of <paramref name="length"/> tokens.</summary>
    public EncoderBatch CreateBatch(int sequences, int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequences, 1);
        if (length is < 1 or > MiniLm.MaxSequenceLength)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"sequences hold 1..{MiniLm.MaxSequenceLength} tokens");
        return new EncoderBatch(sequences, length, _inputNames, _outputNames.Length);
    }

    /// <summary>One forward pass over the batch's tokens, into its hidden-state arrays. Threads may run batches at
    /// once, each its own.</summary>
    public void Run(EncoderBatch batch) => _session.Run(_runOptions, _inputNames, batch.InputValues, _outputNames, batch.OutputValues);

    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
