using System.CommandLine;
using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Metrics;
using Lexicon.Synthetic;
using Spectre.Console;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon eval</c>: reconstruction metrics of a checkpoint on a store; MMCS when the store has ground truth.</summary>
public static class EvalCommand
{
    private static readonly Option<string> Sae = Options.Required("--sae", "Checkpoint directory");
    private static readonly Option<string> Data = Options.Required("--data", "Activation store directory");
    private static readonly Option<int?> Layer = Options.Make<int?>("--layer", "Layer to evaluate on (default: the one the SAE was trained on)");
    private static readonly Option<long?> Tokens = Options.Make<long?>("--tokens", "Evaluate on the first N tokens (default: all)");
    private static readonly Option<long> DeadTokens = Options.Make("--dead-tokens", "Dead = fired on none of the last N evaluated tokens", 1_000_000L);

    public static Command Create() => Verb.Create("eval", "Measure an SAE: nmse, fvu, explained variance, l0, dead fraction; mmcs with ground truth", Run,
        Sae, Data, Layer, Tokens, DeadTokens, Options.Device);

    private static JsonObject Run(ParseResult p, CancellationToken cancel)
    {
        var checkpoint = Checkpoint.Load(p.GetValue(Sae)!);
        using var store = ActivationStore.Open(p.GetValue(Data)!);
        int layer = p.GetValue(Layer) ?? checkpoint.Config?.Layer
            ?? throw new BadInputException("--layer is required for a checkpoint not written by Lexicon");
        using var kernels = Backends.Create(p.GetValue(Options.Device));
        var result = ProgressBar.Run($"eval layer {layer}", report => Evaluator.Run(kernels, checkpoint.Weights, checkpoint.SaeLens.K, store, layer,
            checkpoint.Tables, checkpoint.Config?.SubtractTables ?? false,
            p.GetValue(Tokens) ?? long.MaxValue, p.GetValue(DeadTokens), progress: new InlineProgress<double>(f => report(f, ""))));
        var json = new JsonObject
        {
            ["layer"] = layer,
            ["tokens"] = result.Tokens,
            ["nmse"] = result.Nmse,
            ["fvu"] = result.Fvu,
            ["explained_variance"] = result.ExplainedVariance,
            ["l0"] = result.L0,
            ["dead_fraction"] = result.DeadFraction,
            ["variance_share"] = new JsonObject { ["tables"] = result.TableShare, ["own"] = result.OwnShare },
        };
        if (store.HasGroundTruth)
        {
            var truth = GroundTruth.Load(store.GroundTruthPath);
            var (mmcs, _) = Mmcs.Compute(truth.FeatureDirections(layer), truth.AliveFeatures(layer), checkpoint.Weights.WDec, store.D);
            json["mmcs"] = mmcs;
            json["planted_features"] = truth.AliveFeatures(layer).Length;
            if (checkpoint.Tables is not null)
                json["table_cosine"] = new JsonObject(TableCosine.Compute(checkpoint.Tables, checkpoint.Weights.BDec, truth, layer, store.Tokens, store.Positions)
                    .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        }
        if (!p.GetValue(Verb.Json))
        {
            var table = new Table().AddColumns("metric", "value");
            foreach (var (key, value) in json) table.AddRow(key, value?.ToString() ?? "");
            AnsiConsole.Write(table);
        }
        return json;
    }
}
