using System.Text.Json.Serialization;
using Lexicon.Configuration;

namespace Lexicon.Training;

/// <summary>
/// A training run with nothing left open: what <see cref="TrainConfig.Resolve"/> returns, what the trainer runs and what a
/// checkpoint's lexicon.json saves as "config", so that <c>--resume</c> continues the same run. A file that leaves one of
/// these values out is refused rather than filled with a default.
/// </summary>
public sealed record ResolvedTrainConfig : TrainSettings
{
    [JsonPropertyOrder(1), AtLeast(1)]
    public required long Tokens { get; init; }

    [JsonPropertyOrder(1), InRange(0, 1, MinExclusive = true)]
    public required float LearningRate { get; init; }

    [JsonPropertyOrder(1), AtLeast(0)]
    public required int WarmupSteps { get; init; }

    [JsonPropertyOrder(1), AtLeast(0)]
    public required int AuxK { get; init; }

    [JsonPropertyOrder(1), AtLeast(1)]
    public required long DeadTokens { get; init; }

    [JsonPropertyOrder(1), AtLeast(1)]
    public required int ShuffleBuffer { get; init; }

    public ResolvedTrainConfig() { }

    internal ResolvedTrainConfig(TrainSettings settings) : base(settings) { }

    [JsonIgnore]
    public long TotalSteps => Tokens / Batch + (Tokens % Batch > 0 ? 1 : 0);
}
