using System.CommandLine;
using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Cli.Commands.Results;
using Lexicon.Data;
using Lexicon.Metrics;
using Lexicon.Suite;
using Lexicon.Training;
using Lexicon.Synthetic;
using Spectre.Console;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon eval</c>: reconstruction metrics of a checkpoint on a store; MMCS when the store has ground truth.</summary>
public static class EvalCommand
{
    private static readonly Option<string?> Sae = Options.Path("--sae", "Checkpoint directory");
    private static readonly Option<string?> SuiteDir = Options.Path("--suite", "Suite directory: evaluate every finished layer");
    private static readonly Option<bool> CompareIndependent = Options.Make("--compare-independent",
        "With --suite: also train and evaluate an independent tokenized SAE per layer (same own latents, k and tables)", false);
    private static readonly Option<string> Data = Options.Required("--data", "Activation store directory");
    private static readonly Option<int?> Layer = Options.Optional<int?>("--layer", "Layer to evaluate on (default: the one the SAE was trained on)", Check.Layer);
    private static readonly Option<long?> Tokens = Options.Optional<long?>("--eval-tokens", "Evaluate on the first N tokens of the split (default: all)", Check.AtLeast(1));
    private static readonly Option<long> DeadTokens = Options.Make("--dead-tokens", "Dead = fired on none of the last N evaluated tokens", 1_000_000L, Check.AtLeast(1));

    private static readonly Option<bool> Spliced = Options.Make("--spliced",
        "MiniLM stores: also put the reconstruction in place of hidden state L and run the rest of the model: cosine of the spliced to the clean " +
        "sentence embedding, beside zero- and mean-ablation, and embedding_recovered", false);
    private static readonly Option<int> SplicedSequences = Options.Make("--spliced-sequences", "With --spliced: sequences to splice (the first of the split)",
        int.MaxValue, Check.AtLeast(1));

    public static Command Create() => Verb.Create("eval", "Measure an SAE (or a suite): nmse, fvu, explained variance, l0, dead fraction; mmcs with ground truth", Run,
        Sae, SuiteDir, CompareIndependent, Data, Layer, Tokens, DeadTokens, Options.Split, Spliced, SplicedSequences, Options.Device, Options.Precision);

    private static object Run(ParseResult p, CancellationToken cancel)
    {
        if (p.GetValue(SuiteDir) is { } suite) return RunSuite(p, suite, cancel);
        if (p.GetValue(Sae) is null) throw new BadInputException("--sae DIR or --suite DIR is required");
        var checkpoint = Checkpoint.Load(p.GetValue(Sae)!);
        using var store = ActivationStore.Open(p.GetValue(Data)!);
        int layer = p.GetValue(Layer) ?? checkpoint.Config?.Layer
            ?? throw new BadInputException("--layer is required for a checkpoint not written by Lexicon");
        checkpoint.RequireSameModel(store);
        var measured = MeasuredRows.Choose(store, checkpoint.StoreIdentity, p.GetValue(Options.Split), checkpoint.Config?.IncludeSpecialTokens ?? false,
            p.GetValue(Tokens) ?? long.MaxValue);
        if (measured.Warning(store.Directory) is { } warning) Console.Error.WriteLine(warning);
        bool spliced = p.GetValue(Spliced);
        if (spliced) Lexicon.Models.StoreSplicing.RequireModel(store);
        var reconstruction = spliced ? new float[(long)measured.Rows.Length * store.D] : null;
        using var kernels = Options.Kernels(p);
        var result = ProgressBar.Run($"eval layer {layer}", report => Evaluator.Run(kernels, checkpoint.Weights, checkpoint.SaeLens.K, store, layer,
            new EvalOptions
            {
                Known = checkpoint.Known(), DeadTokens = p.GetValue(DeadTokens), Progress = new InlineProgress<double>(f => report(f, "")),
                Rows = measured.Rows, Reconstruction = reconstruction, Normalize = checkpoint.NormalizeTokens,
            }));
        if (!double.IsFinite(result.Nmse) || !double.IsFinite(result.Fvu))
            throw new BadInputException(Path.Combine(checkpoint.Directory, Checkpoint.WeightsFile),
                "the SAE's reconstruction of this store overflows float32 (its weights are too large to be a trained SAE)");
        var json = new SaeEvalResult(layer, measured.Split.Name(), measured.InSample, result.Tokens, result.Nmse, result.Fvu, result.ExplainedVariance,
            result.L0, result.DeadFraction, new VarianceShare(result.TableShare, null, null, result.OwnShare));
        if (spliced)
            json = json with
            {
                Spliced = ProgressBar.Run($"spliced layer {layer}", _ =>
                    Lexicon.Models.StoreSplicing.Run(store, layer, measured.Rows, reconstruction!, p.GetValue(SplicedSequences))).Metrics,
            };
        if (store.HasGroundTruth)
        {
            var truth = GroundTruth.Load(store.GroundTruthPath);
            var (mmcs, _) = Mmcs.Compute(truth.FeatureDirections(layer), truth.AliveFeatures(layer), checkpoint.Weights.WDec, store.D);
            json = json with
            {
                Mmcs = mmcs,
                PlantedFeatures = truth.AliveFeatures(layer).Length,
                TableCosine = checkpoint.Tables is null ? null
                    : TableCosine.Compute(checkpoint.Tables, checkpoint.Weights.BDec, truth, layer, store.Tokens, store.Positions),
            };
        }
        if (!p.GetValue(Verb.Json))
        {
            var table = new Table().AddColumns("metric", "value");
            foreach (var (key, value) in Verb.ToJson(json)) table.AddRow(key, value?.ToString() ?? "");
            AnsiConsole.Write(table);
        }
        return json;
    }

    private static SuiteEvalResult RunSuite(ParseResult p, string root, CancellationToken cancel)
    {
        using var store = ActivationStore.Open(p.GetValue(Data)!);
        using var kernels = Options.Kernels(p);
        long tokens = p.GetValue(Tokens) ?? long.MaxValue;
        bool spliced = p.GetValue(Spliced);
        if (spliced) Lexicon.Models.StoreSplicing.RequireModel(store);
        var splicedResults = new Dictionary<int, SplicedMetrics>();
        var evaluation = ProgressBar.Run("eval suite", report => SuiteEvaluation.Run(kernels, root, store, p.GetValue(Options.Split), tokens,
            stage => report(0, stage), onReconstruction: !spliced ? null : (layer, rows, reconstruction) =>
                splicedResults[layer] = Lexicon.Models.StoreSplicing.Run(store, layer, rows, reconstruction, p.GetValue(SplicedSequences)).Metrics));
        if (evaluation.Rows.Warning(store.Directory) is { } warning) Console.Error.WriteLine(warning);
        var layers = new List<SuiteLayerMetrics>();
        var config = SuiteFiles.RequireManifest(root).Config;
        foreach (var result in evaluation.Layers)
        {
            cancel.ThrowIfCancellationRequested();
            var json = result.Metrics with { Spliced = splicedResults.GetValueOrDefault(result.Layer) };
            if (p.GetValue(CompareIndependent))
            {
                var independent = ProgressBar.Run($"independent SAE, layer {result.Layer}",
                    report => IndependentLayers.Train(kernels, store, config, result.Layer, f => report(f, ""), cancel));
                var train = independent.Config;
                var eval = Evaluator.Run(kernels, independent.Weights, train.K, store, result.Layer, new EvalOptions
                {
                    Known = new KnownWeights(independent.Tables, null, train.SubtractTables), Rows = evaluation.Rows.Rows, Normalize = train.NormalizeTokens,
                });
                json = json with { Independent = new SuiteLayerResult(result.Layer, eval, 0, 0).Metrics };
            }
            layers.Add(json);
        }
        if (!p.GetValue(Verb.Json))
        {
            var table = new Table().AddColumns("layer", "nmse", "fvu", "l0", "tables", "enriched", "pool", "own", "live", "independent nmse", "independent live");
            foreach (var layer in layers.Select(l => Verb.ToJson(l)))
            {
                var share = layer["variance_share"]!;
                table.AddRow($"{layer["layer"]}", F(layer["nmse"]), F(layer["fvu"]), F(layer["l0"]), F(share["tables"]), F(share["enriched"]),
                    F(share["pool"]), F(share["own"]), $"{layer["live_latents"]}", F(layer["independent"]?["nmse"]), $"{layer["independent"]?["live_latents"]}");
            }
            AnsiConsole.Write(table);
        }
        return new SuiteEvalResult(Path.GetFullPath(root), Path.GetFullPath(store.Directory), evaluation.Rows.Split.Name(), evaluation.Rows.InSample,
            evaluation.Rows.Rows.Length, layers);
    }

    private static string F(JsonNode? value) => value is null ? "-" : $"{value.GetValue<double>():F4}";
}
