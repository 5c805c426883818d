using System.CommandLine;
using Lexicon.Training;

namespace Lexicon.Cli;

/// <summary>The flags that define how an SAE is trained, shared by <c>train</c> and <c>suite</c> (one set per command,
/// since their table defaults differ).</summary>
public sealed class TrainingFlags(string tablesDefault, bool subtractDefault = false, float knownWarmupDefault = 0)
{
    public readonly Option<int> Latents = Options.Make("--latents", "Own latents M", 512);
    public readonly Option<int> K = Options.Make("--k", "Active latents per token", 8);
    public readonly Option<int> Batch = Options.Make("--batch", "Tokens per step", 1024);
    public readonly Option<long?> Tokens = Options.Make<long?>("--tokens", "Training tokens in all (default: 10 passes over the store)");
    public readonly Option<float?> Lr = Options.Make<float?>("--lr", "Peak learning rate (default 2e-4·sqrt(16384/latents))");
    public readonly Option<int?> Warmup = Options.Make<int?>("--warmup-steps", "Linear warm-up steps (default 5% of steps, at most 1000)");
    public readonly Option<float> Decay = Options.Make("--decay-fraction", "Final share of steps with linear decay to 0", 0.2f);
    public readonly Option<int?> AuxK = Options.Make<int?>("--aux-k", "AuxK: dead latents used to model the residual (default d/2; 0 turns AuxK off)");
    public readonly Option<float> AuxCoefficient = Options.Make("--aux-coefficient", "Weight of the AuxK loss", 1f / 32);
    public readonly Option<long?> DeadTokens = Options.Make<long?>("--dead-tokens", "Tokens without firing after which a latent is dead (default 1M, at most a tenth of the run)");
    public readonly Option<string> BDecInit = Options.Make("--b-dec-init", "geometric_median or mean", "geometric_median");
    public readonly Option<int?> ShuffleBuffer = Options.Make<int?>("--shuffle-buffer", "Rows in the shuffle buffer (default: 256 MiB worth)");
    public readonly Option<long> Seed = Options.Make("--seed", "Random seed (the run is deterministic for a seed)", 0L);
    public readonly Option<string> Tables = Options.Make("--tables",
        "Lookup tables: none, or ';'-separated unigram|bigram|trigram or offset lists such as '0;-1,0;-1,0,1'", tablesDefault);
    public readonly Option<int> TableRows = Options.Make("--table-rows", "Rows of each hashed (multi-token) table", 1 << 16);
    public readonly Option<float> TableLr = Options.Make("--table-lr", "Learning rate of the exact (one-token) tables", 1e-2f);
    public readonly Option<float> HashedTableLr = Options.Make("--hashed-table-lr", "Learning rate of the hashed (multi-token) tables", 1e-3f);
    public readonly Option<string> TableInit = Options.Make("--table-init", "mean (per-token data mean; hashed tables start at zero), zero, or model", "mean");
    public readonly Option<bool> SubtractTables = Options.Make("--subtract-tables",
        "Also remove the known part (tables, pool) from the encoder's input (--subtract-tables false to keep it)", subtractDefault);
    public readonly Option<float> KnownWarmup = Options.Make("--known-warmup",
        "Share of the steps, at the start, that train only the known part (tables, pool) with the own latents silent", knownWarmupDefault);
    public readonly Option<bool> IncludeSpecial = Options.Make<bool>("--include-special-tokens", "Train on [CLS]/[SEP]-like tokens too");

    public Option[] All => [Latents, K, Batch, Tokens, Lr, Warmup, Decay, AuxK, AuxCoefficient, DeadTokens, BDecInit, ShuffleBuffer, Seed,
        Tables, TableRows, TableLr, HashedTableLr, TableInit, SubtractTables, KnownWarmup, IncludeSpecial];

    /// <summary>The training config these flags give (store path and layer set by the caller).</summary>
    public TrainConfig Read(ParseResult p, string data, int layer) => new()
    {
        Data = Path.GetFullPath(data),
        Layer = layer,
        Latents = p.GetValue(Latents),
        K = p.GetValue(K),
        Batch = p.GetValue(Batch),
        Tokens = p.GetValue(Tokens),
        LearningRate = p.GetValue(Lr),
        WarmupSteps = p.GetValue(Warmup),
        DecayFraction = p.GetValue(Decay),
        AuxK = p.GetValue(AuxK),
        AuxCoefficient = p.GetValue(AuxCoefficient),
        DeadTokens = p.GetValue(DeadTokens),
        DecoderBiasInit = p.GetValue(BDecInit)!,
        ShuffleBuffer = p.GetValue(ShuffleBuffer),
        Seed = p.GetValue(Seed),
        Tables = p.GetValue(Tables)!,
        TableRows = p.GetValue(TableRows),
        TableLearningRate = p.GetValue(TableLr),
        HashedTableLearningRate = p.GetValue(HashedTableLr),
        TableInit = p.GetValue(TableInit)!,
        SubtractTables = p.GetValue(SubtractTables),
        KnownWarmupFraction = p.GetValue(KnownWarmup),
        IncludeSpecialTokens = p.GetValue(IncludeSpecial),
    };
}
