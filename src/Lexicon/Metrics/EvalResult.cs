namespace Lexicon.Metrics;

/// <summary>The reconstruction metrics of DESIGN.md §7 over the evaluated tokens.</summary>
public sealed record EvalResult(long Tokens, double Nmse, double Fvu, double L0, double DeadFraction, int[] FireCounts)
{
    public double ExplainedVariance => 1 - Fvu;
}
