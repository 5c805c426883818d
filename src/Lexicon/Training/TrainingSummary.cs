namespace Lexicon.Training;

/// <summary>The run summary written to lexicon.json ("summary") and printed by train --json: the last step's batch.</summary>
public record TrainingSummary(long Steps, long TotalSteps, long Tokens, double Loss, double Nmse, double L0, double DeadFraction,
    double TokensPerS, double Seconds);
