namespace Lexicon.Training;

/// <summary>A report on a run in progress (the last step's batch), and at the end on the finished run.</summary>
public sealed record TrainingProgress(long Step, long TotalSteps, long TokensSeen, double Loss, double Nmse, double L0,
    double DeadFraction, double TokensPerSecond, TimeSpan Elapsed);
