namespace Lexicon.Metrics;

/// <summary>The reconstruction metrics of DESIGN.md §7 over the evaluated tokens, and the share of the variance each
/// part of the reconstruction carries (Σ⟨c − c̄, x − x̄⟩ / Σ‖x − x̄‖² for part c: additive, and summing to the explained
/// variance when the residual is uncorrelated with the parts).</summary>
public sealed record EvalResult(long Tokens, double Nmse, double Fvu, double L0, double DeadFraction, int[] FireCounts,
    double TableShare, double OwnShare, double PoolShare = 0, double[]? PoolRowShares = null)
{
    /// <summary>Own latents that fired at least once on the evaluated tokens.</summary>
    public int LiveLatents => FireCounts.Count(c => c > 0);

    public double ExplainedVariance => 1 - Fvu;
}
