using System.CommandLine;
using Lexicon.Cli.Commands.Results;
using Lexicon.Configuration;
using Lexicon.Data;
using Lexicon.Suite;
using Lexicon.Synthetic;
using Spectre.Console;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon trace</c>: every pooled feature's trajectory through the suite; trace.json and trace.png.</summary>
public static class TraceCommand
{
    private static readonly Option<string> SuiteDir = Options.Required("--suite", "Suite directory");
    private static readonly Option<string?> Feature = Options.Path("--feature",
        "One feature's trajectory: ID@LAYER (own latent ID born at LAYER) or ID@enriched");
    private static readonly Option<string?> Data = Options.Path("--data", "Activation store with ground truth (default: the suite's)");
    private static readonly Option<string?> Baseline = Options.Optional<string?>("--baseline",
        "matching: also trace post hoc, with independent SAEs per layer (the suite's latents, k, tables, store) whose features are matched " +
        "between adjacent layers by decoder cosine (one-to-one, Hungarian); writes trace_matching.json", new OneOfAttribute("matching"));
    private static readonly Option<double> MatchThreshold = Options.Make("--match-threshold",
        "With --baseline matching: the least decoder cosine at which two matched features of adjacent layers are one chain",
        MatchingBaseline.DefaultThreshold, Check.InRange(-1, 1));

    public static Command Create() => Verb.Create("trace", "Trace pooled features through the suite's layers; writes trace.json and trace.png", Run,
        SuiteDir, Feature, Data, Baseline, MatchThreshold, Options.Device);

    private static object Run(ParseResult p, CancellationToken cancel)
    {
        string root = p.GetValue(SuiteDir)!;
        var trace = SuiteTrace.Load(root);
        if (p.GetValue(Feature) is { } id) return One(trace, id, p.GetValue(Verb.Json));

        TraceRecovery? recovery = null;
        ChainPrecisionResult? precision = null;
        GroundTruth? truth = null;
        string? data = p.GetValue(Data) ?? trace.Data;
        bool baseline = p.GetValue(Baseline) is not null;
        if (baseline && (data is null || !Directory.Exists(data)))
            throw new BadInputException($"--data: the matching baseline trains on the suite's store, and '{data}' is not there");
        if (data is not null && Directory.Exists(data))
        {
            using var store = ActivationStore.Open(data);
            if (store.HasGroundTruth)
            {
                truth = GroundTruth.Load(store.GroundTruthPath);
                recovery = trace.Recover(truth);
                precision = ChainPrecision.Measure(trace, truth);
            }
        }
        Checkpoints.JsonFiles.Write(Path.Combine(root, "trace.json"), Checkpoints.JsonFiles.ToNode(trace.ToFile(recovery, precision)));
        TracePlot.Save(trace, Path.Combine(root, "trace.png"));
        var summary = new TraceResult(Path.GetFullPath(Path.Combine(root, "trace.json")), Path.GetFullPath(Path.Combine(root, "trace.png")),
            trace.Features.Count, trace.Features.Count(f => f.DeathLayer is not null), SuiteTrace.Finite(recovery?.TraceCosine),
            SuiteTrace.Finite(recovery?.DeathLayerAccuracy), SuiteTrace.Finite(precision?.Precision), recovery?.Recovered, recovery?.Planted,
            recovery?.Fading);
        if (baseline) summary = summary with { Baseline = MatchingTrace.Run(root, data!, trace.Layers, truth, p.GetValue(MatchThreshold), p.GetValue(Options.Device), cancel) };
        if (!p.GetValue(Verb.Json))
        {
            var table = new Table().AddColumns("feature", "birth", "death", "norm by layer", "peak share");
            foreach (var f in trace.Features.OrderByDescending(f => f.PeakShare).Take(15))
                table.AddRow(f.Id, $"{f.BirthLayer}", f.DeathLayer?.ToString() ?? "-",
                    string.Join("  ", f.Points.Select(pt => $"L{pt.Layer}:{pt.Norm:F2}")), $"{f.PeakShare:P2}");
            AnsiConsole.Write(table);
            foreach (var (key, value) in Verb.ToJson(summary)) Console.WriteLine($"{key}: {value}");
        }
        return summary;
    }

    private static TraceFeature One(SuiteTrace trace, string id, bool json)
    {
        var parts = id.Split('@');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int latent))
            throw new BadInputException($"--feature '{id}' is not ID@LAYER or ID@enriched");
        string source = parts[1] == SuiteConfig.EnrichedSource ? parts[1]
            : int.TryParse(parts[1], out int layer) ? SuiteConfig.SourceName(layer)
            : throw new BadInputException($"--feature '{id}': '{parts[1]}' is neither a layer nor 'enriched'");
        var feature = trace.Features.FirstOrDefault(f => f.Source == source && f.Latent == latent)
            ?? throw new BadInputException($"--feature '{id}': no such pooled feature (it never fired at birth, or was never pooled)");
        if (!json)
            foreach (var point in feature.Points)
                Console.WriteLine($"layer {point.Layer}: norm {point.Norm:F3}, cos to birth {point.CosineToBirth:F3}, " +
                    $"cos to previous {point.CosineToPrevious?.ToString("F3") ?? "-"}, share {point.Share:P3}");
        return TraceFeature.Of(feature);
    }
}
