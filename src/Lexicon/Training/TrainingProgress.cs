using System.Text.Json.Nodes;
using Lexicon.Checkpoints;

namespace Lexicon.Training;

/// <summary>A report on a run in progress (the last step's batch), and at the end on the finished run.</summary>
public sealed record TrainingProgress(long Step, long TotalSteps, long TokensSeen, double Loss, double Nmse, double L0,
    double DeadFraction, double TokensPerSecond, TimeSpan Elapsed, string Precision = "fp32")
{
    public TrainingSummary Summary => new(Step, TotalSteps, TokensSeen, Loss, Nmse, L0, DeadFraction, TokensPerSecond, Elapsed.TotalSeconds, Precision);

    /// <summary>The run summary written to lexicon.json and printed by --json.</summary>
    public JsonObject ToJson() => JsonFiles.ToNode(Summary).AsObject();
}
