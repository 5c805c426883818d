using System.Text.Json.Serialization;

namespace Lexicon.Training;

/// <summary>
/// Everything that defines a single-layer training run; saved in the checkpoint's lexicon.json so that
/// <c>--resume</c> continues the same run. Nullable fields are filled from the data by <see cref="Resolve"/>.
/// </summary>
public sealed record TrainConfig
{
    public string Data { get; init; } = "";
    public int Layer { get; init; }
    public int Latents { get; init; } = 512;
    public int K { get; init; } = 8;
    public int Batch { get; init; } = 1024;

    /// <summary>Training tokens in all; default ten passes over the store's rows (a single pass rarely suffices).</summary>
    public long? Tokens { get; init; }

    /// <summary>Default 2e-4·sqrt(16384 / latents): the Gao et al. scaling with width.</summary>
    public float? LearningRate { get; init; }

    /// <summary>Linear warm-up steps; default 5% of the steps, at most 1000.</summary>
    public int? WarmupSteps { get; init; }

    /// <summary>Share of the run, at its end, over which the learning rate falls linearly to zero.</summary>
    public float DecayFraction { get; init; } = 0.2f;

    /// <summary>AuxK: top-kAux dead latents model the residual; default d/2.</summary>
    public int? AuxK { get; init; }
    public float AuxCoefficient { get; init; } = 1f / 32;

    /// <summary>A latent is dead after this many tokens without firing; default 1M, at most a tenth of the run.</summary>
    public long? DeadTokens { get; init; }

    /// <summary>geometric_median or mean: where b_dec starts.</summary>
    public string DecoderBiasInit { get; init; } = "geometric_median";
    public int InitSample { get; init; } = 8192;

    /// <summary>Rows held by the shuffle buffer; default as many as fit in 256 MiB of float32.</summary>
    public int? ShuffleBuffer { get; init; }

    public float Beta1 { get; init; } = 0.9f;
    public float Beta2 { get; init; } = 0.999f;
    public float Epsilon { get; init; } = 1e-8f;
    public long Seed { get; init; }

    /// <summary>Lookup tables (--tables): none, or ';'-separated names/offset lists (see <see cref="Model.TableSpec.Parse"/>).</summary>
    public string Tables { get; init; } = "none";

    /// <summary>Rows of each hashed table (keys of two or more tokens).</summary>
    public int TableRows { get; init; } = 1 << 16;

    /// <summary>The tables' own learning rate: a row's gradient sums the few tokens that hit it, not a batch mean.</summary>
    public float TableLearningRate { get; init; } = 1e-2f;

    /// <summary>The learning rate of hashed (multi-token) tables: their rows are hit by few tokens, so each step is
    /// noisier and smaller steps average it out.</summary>
    public float HashedTableLearningRate { get; init; } = 1e-3f;

    /// <summary>mean, zero or model.</summary>
    public string TableInit { get; init; } = "mean";
    public int TableInitSample { get; init; } = 500_000;

    /// <summary>Also remove the tables' sum from the encoder's input.</summary>
    public bool SubtractTables { get; init; }

    /// <summary>Share of the steps, at the start, that train only the known part (tables, pooled decoders, b_dec) while
    /// the own latents are silent: what the layer already knows settles first, and the own latents then start on what
    /// is left instead of competing for it.</summary>
    public float KnownWarmupFraction { get; init; }

    /// <summary>Train on special tokens ([CLS], [SEP], ...) too; they are left out by default.</summary>
    public bool IncludeSpecialTokens { get; init; }

    /// <summary>Write a resumable checkpoint every this many steps (0: only at the end).</summary>
    public long CheckpointEvery { get; init; }

    [JsonIgnore]
    public int TotalSteps => (int)((Tokens!.Value + Batch - 1) / Batch);

    /// <summary>Fills every default from the store's size and width, and checks ranges.</summary>
    public TrainConfig Resolve(int d, long rows)
    {
        if (Latents < 1) throw new BadInputException($"--latents must be positive, got {Latents}");
        if (K < 1 || K > Latents) throw new BadInputException($"--k must be in [1, latents = {Latents}], got {K}");
        if (Batch < 1) throw new BadInputException($"--batch must be positive, got {Batch}");
        if (Tokens is < 1) throw new BadInputException($"--tokens must be positive, got {Tokens}");
        if (LearningRate is <= 0 or > 1) throw new BadInputException($"--lr must be in (0, 1], got {LearningRate}");
        if (DecayFraction is < 0 or > 1) throw new BadInputException($"--decay-fraction must be in [0, 1], got {DecayFraction}");
        if (AuxK is < 0) throw new BadInputException($"--aux-k must not be negative, got {AuxK}");
        if (TableLearningRate is <= 0 or > 1) throw new BadInputException($"--table-lr must be in (0, 1], got {TableLearningRate}");
        if (HashedTableLearningRate is <= 0 or > 1) throw new BadInputException($"--hashed-table-lr must be in (0, 1], got {HashedTableLearningRate}");
        if (TableInit is not ("mean" or "zero" or "model")) throw new BadInputException($"--table-init must be mean, zero or model, got '{TableInit}'");
        if (KnownWarmupFraction is < 0 or >= 1) throw new BadInputException($"--known-warmup must be in [0, 1), got {KnownWarmupFraction}");
        if (DecoderBiasInit is not ("geometric_median" or "mean"))
            throw new BadInputException($"--b-dec-init must be geometric_median or mean, got '{DecoderBiasInit}'");
        long tokens = Tokens ?? 10 * rows;
        int steps = (int)Math.Min(int.MaxValue, (tokens + Batch - 1) / Batch);
        return this with
        {
            Tokens = tokens,
            LearningRate = LearningRate ?? (float)(2e-4 * Math.Sqrt(16384.0 / Latents)),
            WarmupSteps = WarmupSteps ?? Math.Min(1000, steps / 20),
            AuxK = Math.Min(AuxK ?? d / 2, Latents),
            DeadTokens = DeadTokens ?? Math.Max(Batch, Math.Min(1_000_000, tokens / 10)),
            ShuffleBuffer = ShuffleBuffer ?? (int)Math.Clamp((256L << 20) / (4L * d), 4096, int.MaxValue / 2),
        };
    }
}
