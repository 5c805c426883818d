using Microsoft.ML.OnnxRuntime;

namespace Lexicon.Models;

/// <summary>
/// One batch shape's pinned input and output arrays, wrapped once as OrtValues that ONNX Runtime reads and writes in
/// place: a run copies nothing but the token ids in. Made by <see cref="MiniLmEncoder.CreateBatch"/>; two of them let
/// one batch's hidden states be written out while the next batch runs.
/// </summary>
public sealed class EncoderBatch : IDisposable
{
    private readonly long[] _ids;
    private readonly float[][] _outputs;

    internal EncoderBatch(int sequences, int length, IEnumerable<string> inputNames, int outputs)
    {
        Sequences = sequences;
        Length = length;
        int tokens = sequences * length;
        long[] shape = [sequences, length];
        _ids = GC.AllocateUninitializedArray<long>(tokens, pinned: true);
        InputValues = inputNames.Select(name => name switch
        {
            "input_ids" => OrtValue.CreateTensorValueFromMemory(_ids, shape),
            "token_type_ids" => OrtValue.CreateTensorValueFromMemory(Zeros(tokens), shape),
            _ => throw new InvalidDataException($"unexpected model input '{name}'"),
        }).ToArray();
        _outputs = new float[outputs][];
        OutputValues = new OrtValue[outputs];
        for (int i = 0; i < outputs; i++)
        {
            _outputs[i] = GC.AllocateUninitializedArray<float>(tokens * MiniLm.DModel, pinned: true);
            OutputValues[i] = OrtValue.CreateTensorValueFromMemory(_outputs[i], [sequences, length, MiniLm.DModel]);
        }
    }

    public int Sequences { get; }
    public int Length { get; }
    internal OrtValue[] InputValues { get; }
    internal OrtValue[] OutputValues { get; }

    /// <summary>The batch's token ids: <see cref="Sequences"/> consecutive sequences of <see cref="Length"/> each.</summary>
    public void SetTokens(ReadOnlySpan<int> tokens)
    {
        if (tokens.Length != _ids.Length)
            throw new ArgumentException($"{tokens.Length} tokens for a batch of {Sequences} × {Length}", nameof(tokens));
        for (int i = 0; i < tokens.Length; i++) _ids[i] = tokens[i];
    }

    /// <summary>Hidden state number <paramref name="index"/> of the encoder's <see cref="MiniLmEncoder.HiddenStates"/>
    /// from the last run, row-major [tokens, 384].</summary>
    public ReadOnlySpan<float> HiddenState(int index) => _outputs[index];

    public void Dispose()
    {
        foreach (var value in InputValues) value.Dispose();
        foreach (var value in OutputValues) value.Dispose();
    }

    private static long[] Zeros(int count) => GC.AllocateArray<long>(count, pinned: true);
}
