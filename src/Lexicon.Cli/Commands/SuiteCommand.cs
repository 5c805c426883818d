using System.CommandLine;
using System.Text.Json.Nodes;
using Lexicon.Data;
using Lexicon.Suite;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon suite</c>: the recursive per-layer suite with its pool of known features.</summary>
public static class SuiteCommand
{
    private static readonly Option<string> Data = Options.Required("--data", "Activation store directory");
    private static readonly Option<string> Out = Options.Required("--out", "Suite directory (a finished layer there is kept and the suite resumes after it)");
    private static readonly Option<string?> Layers = Options.Make<string?>("--layers", "Layers to train in order, e.g. 0-3 (default: all of the store's)");
    private static readonly Option<string> Pool = Options.Make("--pool", "What the pool holds: any of tables,enriched,features, or none", "tables,enriched,features");
    private static readonly Option<int> EnrichLayer = Options.Make("--enrich-layer", "Layer of the enriched-token SAE", 1);
    private static readonly Option<int> EnrichK = Options.Make("--enrich-k", "Active latents per token of the enriched-token SAE", 2);
    private static readonly Option<int?> EnrichLatents = Options.Make<int?>("--enrich-latents", "Latents of the enriched-token SAE (default: half of --latents)");
    private static readonly Option<float> PoolMinNorm = Options.Make("--pool-min-norm", "A pooled feature whose decoder norm falls below this (birth norm 1) leaves the pool", 0.25f);
    private static readonly Option<float?> PoolLr = Options.Make<float?>("--pool-lr", "Learning rate of the pooled decoder rows (default: --lr's)");
    private static readonly Option<int?> StopAfterLayer = Options.Make<int?>("--stop-after-layer", "Stop once this layer is done (run again to resume)");
    // In the suite own latents are there for what the pool cannot explain: the encoder sees what the known part leaves,
    // and each layer first settles its known part (tables, carried decoders) for a quarter of its steps.
    private static readonly TrainingFlags Flags = new("unigram", subtractDefault: true, knownWarmupDefault: 0.25f);

    public static Command Create() => Verb.Create("suite", "Train the recursive per-layer suite: a pool of known features carried from layer to layer", Run,
        [Data, Out, Layers, Pool, EnrichLayer, EnrichK, EnrichLatents, PoolMinNorm, PoolLr, StopAfterLayer, .. Flags.All, Options.Device]);

    private static JsonObject Run(ParseResult p, CancellationToken cancel)
    {
        using var store = ActivationStore.Open(p.GetValue(Data)!);
        var layers = p.GetValue(Layers) is { } spec ? LayerList.Parse(spec) : store.Manifest.Layers.Order().ToArray();
        foreach (int layer in layers) store.Layer(layer);
        var pool = ParsePool(p.GetValue(Pool)!);
        var config = new SuiteConfig
        {
            Data = Path.GetFullPath(p.GetValue(Data)!),
            Layers = layers,
            PoolTables = pool.Contains("tables"),
            PoolEnriched = pool.Contains("enriched"),
            PoolFeatures = pool.Contains("features"),
            EnrichLayer = p.GetValue(EnrichLayer),
            EnrichK = p.GetValue(EnrichK),
            EnrichLatents = p.GetValue(EnrichLatents),
            PoolMinNorm = p.GetValue(PoolMinNorm),
            PoolLearningRate = p.GetValue(PoolLr),
            Train = Flags.Read(p, p.GetValue(Data)!, layers[0]),
        };
        if (config.PoolEnriched && !layers.Contains(config.EnrichLayer))
            throw new BadInputException($"--enrich-layer {config.EnrichLayer} is not among --layers {string.Join(",", layers)}");
        config.Train.Resolve(store.D, store.TokenCount);
        string root = p.GetValue(Out)!;
        using var kernels = Backends.Create(p.GetValue(Options.Device));
        bool complete = ProgressBar.Run("suite", report =>
            new SuiteTrainer(kernels, store, config, root, s => report(Fraction(layers, s), $"{s.Stage}  {s.Status}"), ModelActivations.For(store))
                .Run(p.GetValue(StopAfterLayer), cancel));
        var manifest = SuiteFiles.ReadManifest(root)!;
        if (!p.GetValue(Verb.Json))
            Console.WriteLine($"{(complete ? "suite complete" : "suite stopped, resumable")}: {root} (layers done: {manifest["completed_layers"]!.ToJsonString()})");
        return new JsonObject
        {
            ["out"] = Path.GetFullPath(root),
            ["complete"] = complete,
            ["completed_layers"] = manifest["completed_layers"]!.DeepClone(),
            ["layers"] = manifest["layers"]!.DeepClone(),
        };
    }

    private static HashSet<string> ParsePool(string spec)
    {
        var items = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        if (items.SetEquals(["none"])) return [];
        var unknown = items.Except(["tables", "enriched", "features"]).ToArray();
        if (unknown.Length > 0) throw new BadInputException($"--pool: '{string.Join(",", unknown)}' is not one of tables, enriched, features, none");
        return items;
    }

    /// <summary>Overall progress: layers share the bar equally (the enriched SAE within its layer's share).</summary>
    private static double Fraction(int[] layers, SuiteProgress s)
    {
        int position = s.Stage == SuiteConfig.EnrichedSource ? 0 : Array.IndexOf(layers, int.Parse(s.Stage[1..]));
        return (Math.Max(0, position) + s.Fraction) / layers.Length;
    }
}
