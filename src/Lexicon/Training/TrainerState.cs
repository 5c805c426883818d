using Lexicon.Data;

namespace Lexicon.Training;

/// <summary>What a resumed run needs beyond the weights: optimiser moments (flat, in the parameter layout; the tables'
/// when there are tables), steps and tokens done, the data stream's cursor, per-latent firing counters and the loss
/// normaliser.</summary>
public sealed record TrainerState(long Step, long TokensSeen, StreamCursor Cursor, float Normalizer,
    float[] Moment1, float[] Moment2, int[] SinceFired, float[]? TableMoment1 = null, float[]? TableMoment2 = null, int[]? TableRowSteps = null)
{
    /// <summary>The file it was read from, for messages about it (a state made in memory has none).</summary>
    public string Source { get; init; } = "the trainer state";
}
