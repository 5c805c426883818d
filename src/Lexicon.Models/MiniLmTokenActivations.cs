using Lexicon.Training;

namespace Lexicon.Models;

/// <summary>
/// all-MiniLM-L6-v2's activation for each vocabulary token on its own: the hidden state at t for the input
/// <c>[CLS] t [SEP]</c>, what <c>--table-init model</c> starts a unigram table from. The first request runs the whole
/// vocabulary once (30,522 three-token sequences, every hidden state in the same pass) and keeps all seven layers, so a
/// suite's later layers cost nothing more.
/// </summary>
public sealed class MiniLmTokenActivations : ITokenActivations
{
    private const int SequencesPerRun = 512;
    private const int Length = 3;

    private readonly object _gate = new();
    private float[][]? _layers;

    private readonly Lazy<int> _vocabSize = new(() => MiniLmTokenizer.Create().VocabularySize);

    public string Model => MiniLm.ModelName;

    public int VocabSize => _vocabSize.Value;

    public int D => MiniLm.DModel;

    public float[] ForLayer(int layer, int vocab)
    {
        if (layer is < 0 or >= MiniLm.HiddenStates)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"{MiniLm.ModelName} has hidden states 0..{MiniLm.HiddenStates - 1}");
        lock (_gate)
        {
            _layers ??= RunVocabulary();
            if (vocab != _layers[layer].Length / MiniLm.DModel)
                throw new ArgumentException($"the store's vocabulary has {vocab} tokens; {MiniLm.ModelName}'s has {_layers[layer].Length / MiniLm.DModel}", nameof(vocab));
            return _layers[layer];
        }
    }

    private static float[][] RunVocabulary()
    {
        var tokenizer = MiniLmTokenizer.Create();
        int vocab = tokenizer.VocabularySize, d = MiniLm.DModel;
        using var encoder = new MiniLmEncoder([.. Enumerable.Range(0, MiniLm.HiddenStates)]);
        var layers = Enumerable.Range(0, MiniLm.HiddenStates).Select(_ => new float[(long)vocab * d]).ToArray();
        var tokens = new int[SequencesPerRun * Length];
        EncoderBatch? batch = null;
        try
        {
            for (int first = 0; first < vocab; first += SequencesPerRun)
            {
                int count = Math.Min(SequencesPerRun, vocab - first);
                if (batch is null || batch.Sequences != count)
                {
                    batch?.Dispose();
                    batch = encoder.CreateBatch(count, Length);
                }
                for (int s = 0; s < count; s++)
                {
                    tokens[s * Length] = tokenizer.ClsId;
                    tokens[s * Length + 1] = first + s;
                    tokens[s * Length + 2] = tokenizer.SepId;
                }
                batch.SetTokens(tokens.AsSpan(0, count * Length));
                encoder.Run(batch);
                for (int h = 0; h < MiniLm.HiddenStates; h++)
                {
                    var state = batch.HiddenState(h);
                    for (int s = 0; s < count; s++)
                        state.Slice((s * Length + 1) * d, d).CopyTo(layers[h].AsSpan((first + s) * d, d));
                }
            }
        }
        finally
        {
            batch?.Dispose();
        }
        return layers;
    }
}
