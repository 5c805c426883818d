using System.CommandLine;
using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Metrics;
using Lexicon.Output;
using Lexicon.Suite;
using Lexicon.Training;
using Spectre.Console;

namespace Lexicon.Cli.Commands;

/// <summary>
/// <c>lexicon report</c>: on one store, per layer, the plain SAE, the tokenized SAE and the suite at equal own latents
/// and k; writes OUT/index.html with PNG plots (NMSE per layer for the three, the suite's stacked variance shares,
/// the trace of the strongest pooled features, dead fraction) and prints a summary table.
/// </summary>
public static class ReportCommand
{
    private static readonly Option<string> Data = Options.Required("--data", "Activation store directory");
    private static readonly Option<string> Out = Options.Make("--out",
        "Report directory (index.html, plots, and the SAEs and suite it measured): new, empty, or (with --force) a report to replace", "runs/report",
        Check.NotEmpty);
    private static readonly Option<bool> Force = Options.Force("a report");
    private static readonly Option<string?> Layers = Options.Optional<string?>("--layers", "Layers (default: all of the store's)", Check.NotEmpty);
    private static readonly Option<int> EnrichLayer = Options.Make("--enrich-layer", "Layer of the suite's enriched-token SAE", 1, Check.Layer);
    private static readonly TrainingFlags Flags = new(new TrainConfig { Tables = "unigram" });

    public static Command Create() => Verb.Create("report", "Plain vs tokenized SAE vs suite on every layer of a store; writes report/index.html", Run,
        [Data, Out, Force, Layers, EnrichLayer, .. Flags.All, Options.Device]);

    private static JsonObject Run(ParseResult p, CancellationToken cancel)
    {
        using var store = ActivationStore.Open(p.GetValue(Data)!);
        var layers = p.GetValue(Layers) is { } spec ? LayerList.Parse(spec) : store.Manifest.Layers.Order().ToArray();
        foreach (int layer in layers) store.Layer(layer);
        var template = Flags.Read(p, p.GetValue(Data)!, layers[0]);
        template.Resolve(store.D, store.TokenCount);
        using var claim = OutputDirectory.Claim(p.GetValue(Out), new OutputRequest("--out", OutputKind.Report)
        {
            Force = p.GetValue(Force),
            Inputs = [("--data", template.Data)],
        });
        using var kernels = Backends.Create(p.GetValue(Options.Device));
        var model = ModelActivations.For(store);
        var result = Build(kernels, store, layers, template, p.GetValue(EnrichLayer), claim.Path, model, cancel, !p.GetValue(Verb.Json));
        claim.Commit();
        return result;
    }

    /// <summary>Trains the three per layer, measures them, writes the report into root (claimed by the caller).</summary>
    public static JsonObject Build(Lexicon.Kernels.IKernels kernels, ActivationStore store, int[] layers, TrainConfig template, int enrichLayer,
        string root, ITokenActivations? model, CancellationToken cancel, bool print)
    {
        OutputKind.Report.WriteMarker(Directory.CreateDirectory(root).FullName);
        var plain = new List<EvalResult>();
        var tokenized = new List<EvalResult>();
        foreach (int layer in layers)
        {
            plain.Add(TrainAndEvaluate(kernels, store, template with { Layer = layer, Tables = "none" }, Path.Combine(root, "plain", $"layer_{layer:D2}"), model, cancel));
            tokenized.Add(TrainAndEvaluate(kernels, store, template with { Layer = layer, Tables = template.Tables == "none" ? "unigram" : template.Tables },
                Path.Combine(root, "tokenized", $"layer_{layer:D2}"), model, cancel));
        }

        string suiteRoot = Path.Combine(root, "suite");
        var suiteConfig = new SuiteConfig
        {
            Data = template.Data,
            Layers = layers,
            PoolEnriched = layers.Length > 1 && layers.Contains(enrichLayer),
            EnrichLayer = enrichLayer,
            Train = template with { Tables = template.Tables == "none" ? "unigram" : template.Tables, SubtractTables = true, KnownWarmupFraction = 0.25f },
        };
        ProgressBar.Run("suite", report => new SuiteTrainer(kernels, store, suiteConfig, suiteRoot,
            s => report(s.Fraction, $"{s.Stage}  {s.Status}"), model).Run(cancel: cancel));
        var suite = SuiteEvaluation.Run(kernels, suiteRoot, store);
        var trace = SuiteTrace.Load(suiteRoot);

        string report = root;
        double[] Of(IEnumerable<double> values) => values.ToArray();
        ReportPlots.Lines(Path.Combine(report, "nmse.png"), "NMSE per layer (equal own latents and k)", "nmse", layers,
            [("plain", Of(plain.Select(e => e.Nmse))), ("tokenized", Of(tokenized.Select(e => e.Nmse))), ("suite", Of(suite.Select(s => s.Eval.Nmse)))]);
        ReportPlots.StackedShares(Path.Combine(report, "shares.png"), "Suite: share of variance by part", layers,
            [("tables", Of(suite.Select(s => s.Eval.TableShare))), ("enriched", Of(suite.Select(s => s.EnrichedShare))),
             ("pool", Of(suite.Select(s => s.FeatureShare))), ("own", Of(suite.Select(s => s.Eval.OwnShare)))]);
        ReportPlots.Lines(Path.Combine(report, "dead.png"), "Dead fraction of own latents", "dead fraction", layers,
            [("plain", Of(plain.Select(e => e.DeadFraction))), ("tokenized", Of(tokenized.Select(e => e.DeadFraction))), ("suite", Of(suite.Select(s => s.Eval.DeadFraction)))]);
        TracePlot.Save(trace, Path.Combine(report, "trace.png"));

        var rows = layers.Select((layer, i) => new JsonObject
        {
            ["layer"] = layer,
            ["plain_nmse"] = plain[i].Nmse,
            ["tokenized_nmse"] = tokenized[i].Nmse,
            ["suite_nmse"] = suite[i].Eval.Nmse,
            ["plain_dead_fraction"] = plain[i].DeadFraction,
            ["tokenized_dead_fraction"] = tokenized[i].DeadFraction,
            ["suite_dead_fraction"] = suite[i].Eval.DeadFraction,
            ["suite_variance_share"] = suite[i].ToJson()["variance_share"]!.DeepClone(),
            ["suite_live_latents"] = suite[i].Eval.LiveLatents,
            ["tokenized_live_latents"] = tokenized[i].LiveLatents,
        }).ToList();
        ReportHtml.Write(Path.Combine(report, "index.html"), store, template, rows, trace);
        if (print)
        {
            var table = new Table().AddColumns("layer", "plain nmse", "tokenized nmse", "suite nmse", "suite: tables/enriched/pool/own", "dead plain/tok/suite");
            foreach (var r in rows)
            {
                var share = r["suite_variance_share"]!;
                string F(string key) => $"{r[key]!.GetValue<double>():F4}";
                string P(string key) => $"{r[key]!.GetValue<double>():P0}";
                table.AddRow($"{r["layer"]}", F("plain_nmse"), F("tokenized_nmse"), F("suite_nmse"),
                    $"{share["tables"]!.GetValue<double>():F2} / {share["enriched"]!.GetValue<double>():F2} / {share["pool"]!.GetValue<double>():F2} / {share["own"]!.GetValue<double>():F2}",
                    $"{P("plain_dead_fraction")} / {P("tokenized_dead_fraction")} / {P("suite_dead_fraction")}");
            }
            AnsiConsole.Write(table);
            Console.WriteLine($"report: {Path.GetFullPath(Path.Combine(report, "index.html"))}");
        }
        var json = new JsonObject
        {
            ["report"] = Path.GetFullPath(Path.Combine(report, "index.html")),
            ["layers"] = new JsonArray(rows.Select(r => (JsonNode)r).ToArray()),
        };
        var saved = (JsonObject)json.DeepClone();
        saved.Insert(0, "format", OutputKind.Report.Format);
        JsonFiles.Write(Path.Combine(root, OutputKind.Report.MarkerFile), saved);
        return json;
    }

    private static EvalResult TrainAndEvaluate(Lexicon.Kernels.IKernels kernels, ActivationStore store, TrainConfig config, string directory,
        ITokenActivations? model, CancellationToken cancel)
    {
        config = config.Resolve(store.D, store.TokenCount);
        using var trainer = new Trainer(kernels, store, config, model: model);
        string name = $"{(config.Tables == "none" ? "plain" : "tokenized")} SAE, layer {config.Layer}";
        ProgressBar.Run(name, report => trainer.Run(onProgress: pr => report((double)pr.Step / pr.TotalSteps, $"loss {pr.Loss:F4}"), cancel: cancel));
        Checkpoint.Write(directory, CheckpointContent.Of(trainer, store, resumable: false));
        return Evaluator.Run(kernels, trainer.Weights(), config.K, store, config.Layer, trainer.Tables(), config.SubtractTables);
    }
}
