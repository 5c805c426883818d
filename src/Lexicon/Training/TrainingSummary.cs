namespace Lexicon.Training;

/// <summary>The run summary written to lexicon.json ("summary") and printed by train --json: the last step's batch, and
/// the encoder GEMM's precision this run trained at (<c>--precision</c>).</summary>
public record TrainingSummary(long Steps, long TotalSteps, long Tokens, double Loss, double Nmse, double L0, double DeadFraction,
    double TokensPerS, double Seconds, string Precision = "fp32");
