using System.Text.Json.Serialization;
using Lexicon.Configuration;

namespace Lexicon.Training;

/// <summary>
/// A training run as asked for (the command line's flags, a suite's per-layer template): the values left null default
/// from the store's size and width when <see cref="Resolve"/> fixes them.
/// </summary>
public sealed record TrainConfig : TrainSettings
{
    /// <summary>Training tokens in all; default ten passes over the store's rows (a single pass rarely suffices).</summary>
    [JsonPropertyOrder(1), Flag("--train-tokens", "Training tokens in all (default: 10 passes over the store)"), AtLeast(1)]
    public long? Tokens { get; init; }

    /// <summary>Default 2e-4·sqrt(16384 / latents): the Gao et al. scaling with width.</summary>
    [JsonPropertyOrder(1), Flag("--lr", "Peak learning rate (default 2e-4·sqrt(16384/latents))"), InRange(0, 1, MinExclusive = true)]
    public float? LearningRate { get; init; }

    /// <summary>Linear warm-up steps; default 5% of the steps, at most 1000.</summary>
    [JsonPropertyOrder(1), Flag("--warmup-steps", "Linear warm-up steps (default 5% of steps, at most 1000)"), AtLeast(0)]
    public int? WarmupSteps { get; init; }

    /// <summary>AuxK: top-kAux dead latents model the residual; default d/2.</summary>
    [JsonPropertyOrder(1), Flag("--aux-k", "AuxK: dead latents used to model the residual (default d/2; 0 turns AuxK off)"), AtLeast(0)]
    public int? AuxK { get; init; }

    /// <summary>A latent is dead after this many tokens without firing; default 1M, at most a tenth of the run.</summary>
    [JsonPropertyOrder(1), Flag("--dead-tokens", "Tokens without firing after which a latent is dead (default 1M, at most a tenth of the run)"), AtLeast(1)]
    public long? DeadTokens { get; init; }

    /// <summary>Rows held by the shuffle buffer; default as many as fit in 256 MiB of float32.</summary>
    [JsonPropertyOrder(1), Flag("--shuffle-buffer", "Rows in the shuffle buffer (default: 256 MiB worth)"), AtLeast(1)]
    public int? ShuffleBuffer { get; init; }

    public TrainConfig() { }

    /// <summary>A request for exactly the run <paramref name="run"/> is (resolving it again changes nothing).</summary>
    public TrainConfig(ResolvedTrainConfig run) : base(run)
    {
        Tokens = run.Tokens;
        LearningRate = run.LearningRate;
        WarmupSteps = run.WarmupSteps;
        AuxK = run.AuxK;
        DeadTokens = run.DeadTokens;
        ShuffleBuffer = run.ShuffleBuffer;
    }

    /// <summary>Checks every flag's range (each written beside its property) and what depends on several flags or on the
    /// store's width, before any work.</summary>
    public void Check(int d)
    {
        ConfigChecks.ValidateFlags(this);
        if (K > Latents) throw new BadInputException("--k", $"must be in [1, latents = {Latents}], got {K}");
        // Host copies (weights, tables, a batch) are managed arrays; kernels index a batch's pre-activations with ints.
        if ((long)Latents * d > Array.MaxLength)
            throw new BadInputException("--latents", $"{Latents} latents × d_model {d} = {(long)Latents * d:N0} weights exceed the largest array ({Array.MaxLength:N0})");
        if ((long)Batch * Latents > int.MaxValue)
            throw new BadInputException("--batch × --latents", $"{Batch} rows × {Latents} latents = {(long)Batch * Latents:N0} pre-activations exceed {int.MaxValue:N0}");
        if ((long)Batch * d > Array.MaxLength)
            throw new BadInputException("--batch", $"{Batch} rows × d_model {d} exceed the largest array ({Array.MaxLength:N0})");
        if ((long)TableRows * d > Array.MaxLength)
            throw new BadInputException("--table-rows", $"{TableRows} rows × d_model {d} exceed the largest array ({Array.MaxLength:N0})");
        Model.TableSpec.Parse(Tables, 1, TableRows); // the --tables syntax, before any work (rows are set per store later)
    }

    /// <summary>The run this request gives on a store of width <paramref name="d"/> with <paramref name="rows"/> rows:
    /// checked, and every open value set to its default.</summary>
    public ResolvedTrainConfig Resolve(int d, long rows)
    {
        Check(d);
        long tokens = Tokens ?? 10 * rows;
        long steps = tokens / Batch + (tokens % Batch > 0 ? 1 : 0);
        return new ResolvedTrainConfig(this)
        {
            Tokens = tokens,
            LearningRate = LearningRate ?? (float)(2e-4 * Math.Sqrt(16384.0 / Latents)),
            WarmupSteps = WarmupSteps ?? (int)Math.Min(1000, steps / 20),
            AuxK = Math.Min(AuxK ?? d / 2, Latents),
            DeadTokens = DeadTokens ?? Math.Max(Batch, Math.Min(1_000_000, tokens / 10)),
            ShuffleBuffer = ShuffleBuffer ?? (int)Math.Clamp((256L << 20) / (4L * d), 4096, int.MaxValue / 2),
        };
    }
}
