namespace Lexicon.Synthetic;

/// <summary>
/// Everything that shapes a synthetic world (DESIGN.md §6). The defaults are the documented world that tests and
/// recovery checks rely on; the constants below the sizes are exposed so tests can switch parts off (NoiseSigma = 0).
/// </summary>
public sealed record SynthOptions
{
    public int Layers { get; init; } = 4;
    public int DModel { get; init; } = 64;
    public int Vocab { get; init; } = 512;
    public long Tokens { get; init; } = 200_000;
    public int Features { get; init; } = 256;
    public long Seed { get; init; }
    public int SequenceLength { get; init; } = 64;

    /// <summary>Share of whole sequences held out of training, for out-of-sample numbers (see <see cref="Data.StoreSplit"/>).</summary>
    public double HeldOut { get; init; } = 0.1;

    /// <summary>"float32" or "float16": the element type of the layer files (ground truth is always float32).</summary>
    public string DType { get; init; } = "float32";

    /// <summary>Unigram law: P(id) ∝ 1/(id+1)^ZipfExponent.</summary>
    public double ZipfExponent { get; init; } = 1.1;

    /// <summary>Chance that a non-initial token is drawn afresh rather than as a successor of the previous one.</summary>
    public double FreshTokenProbability { get; init; } = 0.5;

    /// <summary>Fixed successors per token.</summary>
    public int Successors { get; init; } = 4;

    /// <summary>Per-layer drift of token and bigram tables: E_l = normalize(E_{l−1} + TokenDrift·g/√d).</summary>
    public double TokenDrift { get; init; } = 0.3;

    /// <summary>Norm of the bigram vector added at layers ≥ 1.</summary>
    public double BigramNorm { get; init; } = 0.5;

    /// <summary>Per-layer drift of feature directions (neighbour cosine ≈ 1/√(1 + FeatureDrift²)).</summary>
    public double FeatureDrift { get; init; } = 0.45;

    /// <summary>Chance that a feature born before the last layer dies before the end.</summary>
    public double FadingShare { get; init; } = 0.3;

    public double MinFiringProbability { get; init; } = 1e-3;
    public double MaxFiringProbability { get; init; } = 3e-2;

    /// <summary>Standard deviation of the Gaussian noise per dimension; 0 switches noise off.</summary>
    public double NoiseSigma { get; init; } = 0.05;

    /// <summary>Throws <see cref="BadInputException"/> naming the flag of the first nonsensical setting.</summary>
    public void Validate()
    {
        Require(Layers is >= 1 and <= 99, $"--layer-count must be in 1..99 (one file per layer, two digits), got {Layers}");
        Require(DModel >= 1, $"--d-model must be at least 1, got {DModel}");
        Require(Vocab >= 8, $"--vocab must be at least 8, got {Vocab}");
        Require(Tokens is >= 1 and <= int.MaxValue, $"--tokens must be in 1..{int.MaxValue}, got {Tokens}");
        Require(Features >= 0, $"--features must not be negative, got {Features}");
        Require(SequenceLength >= 1, $"--sequence-length must be at least 1, got {SequenceLength}");
        Require(HeldOut is >= 0 and <= Data.StoreSplit.MaxShare, $"--heldout must be in 0..{Data.StoreSplit.MaxShare}, got {HeldOut}");
        Require(DType is "float32" or "float16", $"--dtype must be float32 or float16, got '{DType}'");
        // Tables are held as one array per layer.
        Require((long)Vocab * DModel <= Array.MaxLength, $"--vocab × --d-model must be at most {Array.MaxLength}, got {(long)Vocab * DModel}");
        Require((long)Features * DModel <= Array.MaxLength, $"--features × --d-model must be at most {Array.MaxLength}, got {(long)Features * DModel}");
        Require((long)Vocab * Successors <= Array.MaxLength, $"--vocab × --successors must be at most {Array.MaxLength}");
        Require(ZipfExponent >= 0 && double.IsFinite(ZipfExponent), $"--zipf-exponent must be a finite number ≥ 0, got {ZipfExponent}");
        Require(FreshTokenProbability is >= 0 and <= 1, $"--fresh-token-probability must be in [0, 1], got {FreshTokenProbability}");
        Require(Successors >= 1, $"--successors must be at least 1, got {Successors}");
        Require(TokenDrift >= 0 && double.IsFinite(TokenDrift), $"--token-drift must be a finite number ≥ 0, got {TokenDrift}");
        Require(BigramNorm >= 0 && double.IsFinite(BigramNorm), $"--bigram-norm must be a finite number ≥ 0, got {BigramNorm}");
        Require(FeatureDrift >= 0 && double.IsFinite(FeatureDrift), $"--feature-drift must be a finite number ≥ 0, got {FeatureDrift}");
        Require(FadingShare is >= 0 and <= 1, $"--fading-share must be in [0, 1], got {FadingShare}");
        // Firing positions are sampled by geometric skips, which need 0 < p ≤ 1.
        Require(MinFiringProbability is > 0 and <= 1, $"--min-firing-probability must be in (0, 1], got {MinFiringProbability}");
        Require(MaxFiringProbability >= MinFiringProbability && MaxFiringProbability <= 1,
            $"--max-firing-probability must be in [--min-firing-probability {MinFiringProbability}, 1], got {MaxFiringProbability}");
        Require(NoiseSigma >= 0 && double.IsFinite(NoiseSigma), $"--noise must be a finite number ≥ 0, got {NoiseSigma}");
    }

    private static void Require(bool ok, string problem)
    {
        if (!ok) throw new BadInputException(problem);
    }
}
