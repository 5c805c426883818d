using System.Text.Json.Serialization;
using Lexicon.Configuration;
using Lexicon.Training;

namespace Lexicon.Suite;

/// <summary>
/// A recursive suite run (DESIGN.md §1, point 3): the layers to train in order, what the pool of known features holds,
/// the enriched-token SAE, pruning, and the per-layer training template (own latents, k, tables, schedule). Saved in
/// suite.json so a suite can resume.
/// </summary>
public sealed record SuiteConfig
{
    public string Data { get; init; } = "";
    public int[] Layers { get; init; } = [];

    /// <summary>The pool holds the token/n-gram tables (each layer its own rows, started from the layer before's).</summary>
    public bool PoolTables { get; init; } = true;

    /// <summary>The pool holds the enriched-token SAE's codes (from <see cref="EnrichLayer"/> on).</summary>
    public bool PoolEnriched { get; init; } = true;

    /// <summary>The pool holds the own latents of every earlier layer.</summary>
    public bool PoolFeatures { get; init; } = true;

    /// <summary>The enriched-token SAE trains against the pool of its layer (the earlier layers' features) and its codes
    /// join the pool at that layer, so neither it nor that layer's own latents learn again what the other has: alone,
    /// the two duplicated many features and one of each pair drifted (bench/RESULTS.md). Suites written before this
    /// rule read as false (<see cref="SuiteManifest.Read"/>): the enriched SAE alone, pooled from the next layer.</summary>
    public bool EnrichedOnPool { get; init; } = true;

    [Flag("--enrich-layer", "Layer of the enriched-token SAE"), InRange(0, 99)]
    public int EnrichLayer { get; init; } = 1;

    [Flag("--enrich-k", "Active latents per token of the enriched-token SAE"), AtLeast(1)]
    public int EnrichK { get; init; } = 2;

    [Flag("--enrich-latents", "Latents of the enriched-token SAE (default: half of --latents)"), AtLeast(1)]
    public int? EnrichLatents { get; init; }

    /// <summary>A pooled feature whose strength (<see cref="PoolDeath"/>) falls below this leaves the pool (default
    /// <see cref="PoolThreshold"/>).</summary>
    [Flag("--pool-min-norm", "A pooled feature whose strength (see --pool-death) falls below this leaves the pool (default 0.5 under fit, 0.25 under norm)"),
     InRange(0, 1e6)]
    public float? PoolMinNorm { get; init; }

    /// <summary>The pruning threshold in use: under fit, half the birth strength (the data carries less than half of the
    /// feature); under norm, 0.25 (a higher norm threshold ends live chains early, bench/RESULTS.md).</summary>
    [JsonIgnore]
    public float PoolThreshold => PoolMinNorm ?? (PoolDeath == "fit" ? 0.5f : 0.25f);

    /// <summary>What a pooled feature's strength is: "fit", how much of it the layer's data still carries where its code
    /// fires (the slope of the data along the row's direction on the code, 1 at full strength), or "norm", the trained
    /// row's norm (birth norm 1). The norm also shrinks while the row turns toward a moved feature, and lingers while the
    /// own latents take over a fading one, so it prunes live features and keeps dead ones.</summary>
    [Flag("--pool-death", "fit (the data's slope along the row on its code) or norm (the row's norm)"), OneOf("fit", "norm")]
    public string PoolDeath { get; init; } = "fit";

    /// <summary>Learning rate of the pooled decoder rows (default: the own latents' rate).</summary>
    [Flag("--pool-lr", "Learning rate of the pooled decoder rows (default: --lr's)"), InRange(0, 1, MinExclusive = true)]
    public float? PoolLearningRate { get; init; }

    /// <summary>The training of each layer's own SAE (its Layer is set per layer); Tables is "none" unless PoolTables.</summary>
    public TrainConfig Train { get; init; } = new();

    /// <summary>The one rule for a layer's own SAE (the suite's, and the independent one it is compared with).</summary>
    public ResolvedTrainConfig LayerConfig(int layer, int d, long tokens) =>
        (Train with { Layer = layer, Tables = PoolTables ? Train.Tables : "none" }).Resolve(d, tokens);

    [JsonIgnore]
    public int EnrichLatentCount => EnrichLatents ?? Math.Max(1, Train.Latents / 2);

    public static string SourceName(int layer) => $"L{layer:D2}";

    public const string EnrichedSource = "enriched";
}
