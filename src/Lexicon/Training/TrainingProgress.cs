using System.Text.Json.Nodes;

namespace Lexicon.Training;

/// <summary>A report on a run in progress (the last step's batch), and at the end on the finished run.</summary>
public sealed record TrainingProgress(long Step, long TotalSteps, long TokensSeen, double Loss, double Nmse, double L0,
    double DeadFraction, double TokensPerSecond, TimeSpan Elapsed)
{
    /// <summary>The run summary written to lexicon.json and printed by --json.</summary>
    public JsonObject ToJson() => new()
    {
        ["steps"] = Step,
        ["total_steps"] = TotalSteps,
        ["tokens"] = TokensSeen,
        ["loss"] = Loss,
        ["nmse"] = Nmse,
        ["l0"] = L0,
        ["dead_fraction"] = DeadFraction,
        ["tokens_per_s"] = TokensPerSecond,
        ["seconds"] = Elapsed.TotalSeconds,
    };
}
