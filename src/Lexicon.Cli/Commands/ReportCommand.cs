using System.CommandLine;
using Lexicon.Cli.Commands.Results;
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
/// and k, measured on the store's held-out sequences (FVU, NMSE, and on MiniLM stores embedding_recovered; in-sample
/// numbers beside them, labelled); writes OUT/index.html with PNG plots (held-out NMSE and FVU per layer for the three,
/// the suite's stacked variance shares, the trace of the strongest pooled features, dead fraction), the suite's feature
/// site in OUT/features/, and prints a summary.
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
    private static readonly Option<int> SplicedSequences = Options.Make("--spliced-sequences",
        "MiniLM stores: held-out sequences spliced per model and layer for embedding_recovered (0: none)", DefaultSplicedSequences, Check.AtLeast(0));
    // Each token at norm √d: the loss then weighs tokens as the held-out NMSE does (on MiniLM's last layer the two disagree otherwise).
    private static readonly TrainingFlags Flags = new(new TrainConfig { Tables = "unigram", Normalize = RowNorm.Token });

    public static Command Create() => Verb.Create("report", "Plain vs tokenized SAE vs suite on every layer of a store; writes report/index.html", Run,
        [Data, Out, Force, Layers, EnrichLayer, SplicedSequences, .. Flags.All, Options.Device, Options.Precision]);

    private static object Run(ParseResult p, CancellationToken cancel)
    {
        using var store = ActivationStore.Open(p.GetValue(Data)!);
        var layers = p.GetValue(Layers) is { } spec ? LayerList.Parse(spec) : store.Manifest.Layers.Order().ToArray();
        foreach (int layer in layers) store.Layer(layer);
        var template = Flags.Read(p, p.GetValue(Data)!, layers[0]);
        template.Check(store.D); // bad flags before anything is claimed or trained
        Ranks.SameStore(store);
        using var kernels = Options.Kernels(p); // a device or precision this machine lacks, before --out is claimed
        // Under mpiexec the lead claims --out; every rank writes its share of the SAEs into it.
        var (claim, root) = Ranks.ClaimShared(p.GetValue(Out), new OutputRequest("--out", OutputKind.Report)
        {
            Force = p.GetValue(Force),
            Inputs = [("--data", template.Data)],
        });
        using var _ = claim;
        var model = ModelActivations.For(store);
        var result = Build(kernels, store, layers, template, p.GetValue(EnrichLayer), root, model, cancel, !p.GetValue(Verb.Json),
            p.GetValue(SplicedSequences));
        claim?.Commit();
        // The other ranks waited while the lead measured the suite and wrote the report.
        Ranks.World?.Barrier("the lead's suite and report", afterWork: true);
        return (object?)result ?? new System.Text.Json.Nodes.JsonObject(); // the others print nothing
    }

    /// <summary>Trains the three per layer, measures them out of sample, writes the report into root (claimed by the caller).
    /// Under mpiexec the ranks share the plain and tokenized SAEs (<see cref="LayerParallel"/>) and train the suite
    /// together, each layer data-parallel; the lead alone measures the suite and writes the report, the others return null.</summary>
    public static ReportResult? Build(Lexicon.Kernels.IKernels kernels, ActivationStore store, int[] layers, TrainConfig template, int enrichLayer,
        string root, ITokenActivations? model, CancellationToken cancel, bool print, int splicedSequences = DefaultSplicedSequences)
    {
        if (!store.HasHeldOut)
            throw new BadInputException(Path.Combine(store.Directory, StoreManifest.FileName),
                "--data: the store holds no rows out of training, and the report measures out of sample (write the store with --heldout)");
        if (Ranks.Lead) OutputKind.Report.WriteMarker(Directory.CreateDirectory(root).FullName);
        // Jobs 2i and 2i + 1: layer i's plain and tokenized SAE.
        var measures = LayerParallel.Run(2 * layers.Length, job =>
        {
            int layer = layers[job / 2];
            bool isPlain = job % 2 == 0;
            var config = template with { Layer = layer, Tables = isPlain ? "none" : template.Tables == "none" ? "unigram" : template.Tables };
            return TrainAndMeasure(kernels, store, config, Path.Combine(root, isPlain ? "plain" : "tokenized", $"layer_{layer:D2}"),
                model, splicedSequences, cancel);
        }, "the report's plain and tokenized SAEs");
        var plain = measures.Where((_, job) => job % 2 == 0).ToList();
        var tokenized = measures.Where((_, job) => job % 2 == 1).ToList();

        string suiteRoot = Path.Combine(root, "suite");
        var suiteConfig = new SuiteConfig
        {
            Data = template.Data,
            Layers = layers,
            PoolEnriched = layers.Length > 1 && layers.Contains(enrichLayer),
            EnrichLayer = enrichLayer,
            Train = template with { Tables = template.Tables == "none" ? "unigram" : template.Tables, SubtractTables = true, KnownWarmupFraction = 0.25f },
        };
        ParallelTraining.Progress("suite", report => new SuiteTrainer(kernels, store, suiteConfig, suiteRoot,
            s => report(s.Fraction, $"{s.Stage}  {s.Status}"), model, Ranks.World).Run(cancel: cancel));
        if (!Ranks.Lead) return null;
        var suiteMeasures = ProgressBar.Run("suite, measured", _ => LayerMeasure.OfSuite(kernels, suiteRoot, store, splicedSequences));
        var suite = suiteMeasures.Select(s => s.Layer).ToList();
        var trace = SuiteTrace.Load(suiteRoot);
        var site = FeaturesCommand.ForSuite(kernels, suiteRoot, store, Path.Combine(root, FeatureSiteFolder));

        string report = root;
        double[] Of(IEnumerable<double> values) => values.ToArray();
        var suiteMeasure = suiteMeasures.Select(s => s.Measure).ToList();
        ReportPlots.Lines(Path.Combine(report, "nmse.png"), "Held-out NMSE per layer (equal own latents and k)", "nmse", layers,
            [("plain", Of(plain.Select(e => e.HeldOut.Nmse))), ("tokenized", Of(tokenized.Select(e => e.HeldOut.Nmse))), ("suite", Of(suiteMeasure.Select(s => s.HeldOut.Nmse)))]);
        ReportPlots.Lines(Path.Combine(report, "fvu.png"), "Held-out FVU per layer (equal own latents and k)", "fvu", layers,
            [("plain", Of(plain.Select(e => e.HeldOut.Fvu))), ("tokenized", Of(tokenized.Select(e => e.HeldOut.Fvu))), ("suite", Of(suiteMeasure.Select(s => s.HeldOut.Fvu)))]);
        ReportPlots.StackedShares(Path.Combine(report, "shares.png"), "Suite: share of held-out variance by part", layers,
            [("tables", Of(suite.Select(s => s.Eval.TableShare))), ("enriched", Of(suite.Select(s => s.EnrichedShare))),
             ("pool", Of(suite.Select(s => s.FeatureShare))), ("own", Of(suite.Select(s => s.Eval.OwnShare)))]);
        ReportPlots.Lines(Path.Combine(report, "dead.png"), "Dead fraction of own latents", "dead fraction", layers,
            [("plain", Of(plain.Select(e => e.HeldOut.DeadFraction))), ("tokenized", Of(tokenized.Select(e => e.HeldOut.DeadFraction))),
             ("suite", Of(suite.Select(s => s.Eval.DeadFraction)))]);
        TracePlot.Save(trace, Path.Combine(report, "trace.png"), id => site.Labels.GetValueOrDefault(id, id));

        var rows = layers.Select((layer, i) => new ReportLayer(layer, plain[i].Result, tokenized[i].Result,
            suiteMeasure[i].Result with { VarianceShare = suite[i].Metrics.VarianceShare })).ToList();
        long heldOutTokens = StoreRows.Of(store, Split.HeldOut, template.IncludeSpecialTokens).Length;
        ReportHtml.Write(Path.Combine(report, "index.html"), store, template, rows, trace, heldOutTokens, site, FeatureSiteFolder);
        if (print)
        {
            ReportSummary.Print(rows, heldOutTokens);
            Console.WriteLine($"report: {Path.GetFullPath(Path.Combine(report, "index.html"))}");
        }
        var result = new ReportResult(null, Path.GetFullPath(Path.Combine(report, "index.html")), Split.HeldOut.Name(), heldOutTokens, site.Index,
            rows);
        JsonFiles.Write(Path.Combine(root, OutputKind.Report.MarkerFile), JsonFiles.ToNode(result with { Format = OutputKind.Report.Format }));
        return result;
    }

    public const int DefaultSplicedSequences = 32;

    /// <summary>Where in the report the suite's feature site goes (<see cref="FeaturesCommand.ForSuite"/>).</summary>
    public const string FeatureSiteFolder = "features";

    private static LayerMeasure TrainAndMeasure(Lexicon.Kernels.IKernels kernels, ActivationStore store, TrainConfig request, string directory,
        ITokenActivations? model, int splicedSequences, CancellationToken cancel)
    {
        var config = request.Resolve(store.D, store.TokenCount);
        using var trainer = new Trainer(kernels, store, config, model: model);
        string name = $"{(config.Tables == "none" ? "plain" : "tokenized")} SAE, layer {config.Layer}";
        ParallelTraining.Progress(name, report => trainer.Run(onProgress: pr => report((double)pr.Step / pr.TotalSteps, $"loss {pr.Loss:F4}"), cancel: cancel));
        Checkpoint.Write(directory, CheckpointContent.Of(trainer, store, resumable: false));
        return LayerMeasure.Of(kernels, store, trainer.Weights(), config.K,
            new KnownWeights(trainer.Tables(), null, config.SubtractTables), config.Layer,
            config.IncludeSpecialTokens, splicedSequences, config.NormalizeTokens);
    }
}
