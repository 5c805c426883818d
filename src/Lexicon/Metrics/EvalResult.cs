namespace Lexicon.Metrics;

/// <summary>The reconstruction metrics of DESIGN.md §7 over the evaluated tokens, and the share of the variance each
/// part of the reconstruction carries (Σ⟨c − c̄, x − x̄⟩ / Σ‖x − x̄‖² for part c: additive, and summing to the explained
/// variance when the residual is uncorrelated with the parts).</summary>
public sealed record EvalResult(long Tokens, double Nmse, double Fvu, double L0, double DeadFraction, int[] FireCounts,
    double TableShare, double OwnShare, double[] LatentShares, double PoolShare = 0, double[]? PoolRowShares = null,
    double[]? PoolRowFits = null)
{
    // PoolRowFits: per pooled row, the least-squares slope of ⟨u, x⟩ on its code c (u its unit direction): how much
    // of the feature the data still carries (about 1 alive, about 0 gone; NaN where the code never varied).

    /// <summary>A latent carries signal when it explains at least this share of the variance (one in ten thousand):
    /// under TopK every token fires k latents, and latents with nothing to learn still fire, projecting noise, with a
    /// share orders of magnitude below that of a real feature.</summary>
    public const double SignalShare = 1e-4;

    /// <summary>Own latents that fired at least once on the evaluated tokens.</summary>
    public int LiveLatents => FireCounts.Count(c => c > 0);

    /// <summary>Own latents that explain at least <see cref="SignalShare"/> of the variance.</summary>
    public int SignalLatents => LatentShares.Count(s => s >= SignalShare);

    public double ExplainedVariance => 1 - Fvu;
}
