using System.CommandLine;
using Lexicon.Cli.Commands.Results;
using Lexicon.Data;
using Lexicon.Output;
using Lexicon.Suite;
using Lexicon.Training;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon suite</c>: the recursive per-layer suite with its pool of known features.</summary>
public static class SuiteCommand
{
    private static readonly Option<string> Data = Options.Required("--data", "Activation store directory");
    private static readonly Option<string> Out = Options.Required("--out",
        "Suite directory: new, empty, or a suite started with the same flags (its finished layers are kept and it resumes after them)");
    private static readonly Option<bool> Force = Options.Force("a suite (to start it afresh)");
    private static readonly Option<string?> Layers = Options.Optional<string?>("--layers", "Layers to train in order, e.g. 0-3 (default: all of the store's)", Check.NotEmpty);
    private static readonly Option<string> Pool = Options.Make("--pool", "What the pool holds: any of tables,enriched,features, or none", "tables,enriched,features");
    private static readonly ConfigFlags<SuiteConfig> SuiteFlags = new(new SuiteConfig());
    private static readonly Option<int?> StopAfterLayer = Options.Optional<int?>("--stop-after-layer", "Stop once this layer is done (run again to resume)", Check.Layer);
    // In the suite own latents are there for what the pool cannot explain: the encoder sees what the known part leaves,
    // and each layer first settles its known part (tables, carried decoders) for a quarter of its steps.
    private static readonly TrainingFlags Flags = new(new TrainConfig { Tables = "unigram", SubtractTables = true, KnownWarmupFraction = 0.25f });

    public static Command Create() => Verb.Create("suite", "Train the recursive per-layer suite: a pool of known features carried from layer to layer", Run,
        [Data, Out, Force, Layers, Pool, .. SuiteFlags.All, StopAfterLayer, .. Flags.All, Options.Device, Options.Precision]);

    private static SuiteResult Run(ParseResult p, CancellationToken cancel)
    {
        using var store = ActivationStore.Open(p.GetValue(Data)!);
        var layers = p.GetValue(Layers) is { } spec ? LayerList.Parse(spec) : store.Manifest.Layers.Order().ToArray();
        foreach (int layer in layers) store.Layer(layer);
        var pool = ParsePool(p.GetValue(Pool)!);
        var config = SuiteFlags.Read(p, new SuiteConfig()) with
        {
            Data = Path.GetFullPath(p.GetValue(Data)!),
            Layers = layers,
            PoolTables = pool.Contains("tables"),
            PoolEnriched = pool.Contains("enriched"),
            PoolFeatures = pool.Contains("features"),
            Train = Flags.Read(p, p.GetValue(Data)!, layers[0]),
        };
        if (config.PoolEnriched && !layers.Contains(config.EnrichLayer))
            throw new BadInputException($"--enrich-layer {config.EnrichLayer} is not among --layers {string.Join(",", layers)}");
        if (p.GetValue(StopAfterLayer) is { } stop && !layers.Contains(stop))
            throw new BadInputException($"--stop-after-layer {stop} is not among --layers {string.Join(",", layers)}");
        config.Train.Check(store.D); // bad flags before anything is claimed or trained
        Ranks.SameStore(store);
        using var kernels = Options.Kernels(p); // a device or precision this machine lacks, before --out is claimed
        // Under mpiexec every rank trains each layer data-parallel; the lead alone claims and writes --out.
        var (claim, root) = Ranks.ClaimShared(p.GetValue(Out), new OutputRequest("--out", OutputKind.Suite)
        {
            Force = p.GetValue(Force),
            Continue = true,
            Inputs = [("--data", config.Data)],
        });
        using var _ = claim;
        bool complete = ParallelTraining.Progress("suite", report =>
            new SuiteTrainer(kernels, store, config, root, s => report(Fraction(layers, s), $"{s.Stage}  {s.Status}"), ModelActivations.For(store),
                Ranks.World).Run(p.GetValue(StopAfterLayer), cancel));
        claim?.Commit();
        Ranks.World?.Barrier("the lead's last writes", afterWork: true);
        var manifest = SuiteFiles.RequireManifest(root);
        if (!p.GetValue(Verb.Json) && Ranks.Lead)
            Console.WriteLine($"{(complete ? "suite complete" : "suite stopped, resumable")}: {root} (layers done: {string.Join(", ", manifest.CompletedLayers)})");
        return new SuiteResult(root, complete, manifest.CompletedLayers, manifest.Layers);
    }

    private static HashSet<string> ParsePool(string spec)
    {
        var items = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        if (items.Count == 0) throw new BadInputException("--pool", "names nothing (use none for an empty pool)");
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
