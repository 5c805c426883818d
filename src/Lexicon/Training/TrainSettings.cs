using System.Text.Json.Serialization;
using Lexicon.Configuration;

namespace Lexicon.Training;

/// <summary>
/// What a single-layer training run is, apart from the values that default from the store (tokens, learning rate,
/// warm-up, AuxK, dead threshold, shuffle buffer): <see cref="TrainConfig"/> is a request that may leave those open,
/// <see cref="ResolvedTrainConfig"/> a run with every one of them fixed. A property's flag and range are written beside
/// it; the command line's defaults are the values a command starts from.
/// </summary>
public abstract record TrainSettings
{
    public string Data { get; init; } = "";

    [InRange(0, 99)]
    public int Layer { get; init; }

    [Flag("--latents", "Own latents M"), AtLeast(1)]
    public int Latents { get; init; } = 512;

    [Flag("--k", "Active latents per token"), AtLeast(1)]
    public int K { get; init; } = 8;

    /// <summary>The least activation at which a latent fires; 0 is plain TopK. TopK fires exactly k latents a token, and
    /// where a token carries fewer features than k the rest fit noise and bend the decoder rows they share (bench/RESULTS.md,
    /// recovery at birth); a floor lets such tokens fire fewer. In the encoder's units (after --normalize).</summary>
    [Flag("--min-activation", "A latent fires only at an activation of at least this (0: plain TopK, k a token)"), InRange(0, 1e6)]
    public float MinActivation { get; init; }

    [Flag("--batch", "Tokens per step"), AtLeast(1)]
    public int Batch { get; init; } = 1024;

    /// <summary>Share of the run, at its end, over which the learning rate falls linearly to zero.</summary>
    [Flag("--decay-fraction", "Final share of steps with linear decay to 0"), InRange(0, 1)]
    public float DecayFraction { get; init; } = 0.2f;

    [Flag("--aux-coefficient", "Weight of the AuxK loss"), InRange(0, 1e6)]
    public float AuxCoefficient { get; init; } = 1f / 32;

    /// <summary>geometric_median or mean: where b_dec starts.</summary>
    [Flag("--b-dec-init", "geometric_median or mean"), OneOf("geometric_median", "mean")]
    public string DecoderBiasInit { get; init; } = "geometric_median";

    [AtLeast(1)]
    public int InitSample { get; init; } = 8192;

    /// <summary>none, or token: each token scaled to norm √d before the SAE and its reconstruction scaled back (see
    /// <see cref="Data.RowNorm"/>).</summary>
    [Flag("--normalize", "none, or token: scale each token to norm √d for the SAE and back (the loss then weighs tokens as NMSE does)"),
     OneOf(Lexicon.Data.RowNorm.None, Lexicon.Data.RowNorm.Token)]
    public string Normalize { get; init; } = Lexicon.Data.RowNorm.None;

    [JsonIgnore]
    public bool NormalizeTokens => Normalize == Lexicon.Data.RowNorm.Token;

    [InRange(0, 1, MaxExclusive = true)]
    public float Beta1 { get; init; } = 0.9f;

    [InRange(0, 1, MaxExclusive = true)]
    public float Beta2 { get; init; } = 0.999f;

    [InRange(0, 1, MinExclusive = true)]
    public float Epsilon { get; init; } = 1e-8f;

    [Flag("--seed", "Random seed (the run is deterministic for a seed)")]
    public long Seed { get; init; }

    /// <summary>Lookup tables (--tables): none, or ';'-separated names/offset lists (see <see cref="Model.TableSpec.Parse"/>).</summary>
    [Flag("--tables", "Lookup tables: none, or ';'-separated unigram|bigram|trigram or offset lists such as '0;-1,0;-1,0,1'"), NotEmpty]
    public string Tables { get; init; } = "none";

    /// <summary>Rows of each hashed table (keys of two or more tokens).</summary>
    [Flag("--table-rows", "Rows of each hashed (multi-token) table"), AtLeast(1)]
    public int TableRows { get; init; } = 1 << 16;

    /// <summary>The tables' own learning rate: a row's gradient sums the few tokens that hit it, not a batch mean.</summary>
    [Flag("--table-lr", "Learning rate of the exact (one-token) tables"), InRange(0, 1, MinExclusive = true)]
    public float TableLearningRate { get; init; } = 1e-2f;

    /// <summary>The learning rate of hashed (multi-token) tables: their rows are hit by few tokens, so each step is
    /// noisier and smaller steps average it out.</summary>
    [Flag("--hashed-table-lr", "Learning rate of the hashed (multi-token) tables"), InRange(0, 1, MinExclusive = true)]
    public float HashedTableLearningRate { get; init; } = 1e-3f;

    /// <summary>mean, zero or model.</summary>
    [Flag("--table-init", "mean (per-token data mean; hashed tables start at zero), zero, or model"), OneOf("mean", "zero", "model")]
    public string TableInit { get; init; } = "mean";

    [AtLeast(1)]
    public int TableInitSample { get; init; } = 500_000;

    /// <summary>Also remove the tables' sum from the encoder's input.</summary>
    [Flag("--subtract-tables", "Also remove the known part (tables, pool) from the encoder's input (--subtract-tables false to keep it)")]
    public bool SubtractTables { get; init; }

    /// <summary>Share of the steps, at the start, that train only the known part (tables, pooled decoders, b_dec) while
    /// the own latents are silent: what the layer already knows settles first, and the own latents then start on what
    /// is left instead of competing for it.</summary>
    [Flag("--known-warmup", "Share of the steps, at the start, that train only the known part (tables, pool) with the own latents silent"),
     InRange(0, 1, MaxExclusive = true)]
    public float KnownWarmupFraction { get; init; }

    /// <summary>Train on special tokens ([CLS], [SEP], ...) too; they are left out by default.</summary>
    [Flag("--include-special-tokens", "Train on [CLS]/[SEP]-like tokens too")]
    public bool IncludeSpecialTokens { get; init; }

    /// <summary>Write a resumable checkpoint every this many steps (0: only at the end).</summary>
    [AtLeast(0)]
    public long CheckpointEvery { get; init; }
}
