using Lexicon.Training;

namespace Lexicon.Metrics;

/// <summary>
/// How <see cref="Evaluator.Run"/> measures an SAE: with what known part, on which rows, and what it hands back besides
/// the metrics. The defaults measure the first rows of the layer with no known part and return the metrics only.
/// </summary>
public sealed record EvalOptions
{
    /// <summary>The tables and pooled rows the SAE was trained with (its known part).</summary>
    public KnownWeights Known { get; init; } = KnownWeights.None;

    /// <summary>The model sees each token scaled to norm √d (<see cref="Data.RowNorm"/>); metrics, shares and the
    /// reconstruction are in the store's own scale.</summary>
    public bool Normalize { get; init; }

    /// <summary>The store rows to evaluate on (e.g. a fixed sample, the held-out split); default the first
    /// <see cref="MaxTokens"/> rows.</summary>
    public long[]? Rows { get; init; }

    public long MaxTokens { get; init; } = long.MaxValue;

    /// <summary>A latent is dead if it fired on none of the last this many evaluated tokens.</summary>
    public long DeadTokens { get; init; } = 1_000_000;

    public int Batch { get; init; } = 4096;

    public IProgress<double>? Progress { get; init; }

    /// <summary>If given, receives every evaluated token's top-k latents, [tokens, k] (<see cref="CodeValue"/> their
    /// values).</summary>
    public int[]? CodeIndex { get; init; }

    public float[]? CodeValue { get; init; }

    /// <summary>If given, receives every evaluated token's x̂ (known part included), [tokens, d].</summary>
    public float[]? Reconstruction { get; init; }

    /// <summary>Whether to measure the tables' and pooled rows' variance shares: a dot product per pooled feature per
    /// token, most of the time of a suite layer's code extraction, which does not use them.</summary>
    public bool KnownShares { get; init; } = true;
}
