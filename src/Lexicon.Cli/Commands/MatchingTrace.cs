using Lexicon.Cli.Commands.Results;
using Lexicon.Data;
using Lexicon.Suite;
using Lexicon.Synthetic;

namespace Lexicon.Cli.Commands;

/// <summary><c>trace --baseline matching</c>: the post-hoc trace beside the suite's, on the suite's store; trace_matching.json.</summary>
internal static class MatchingTrace
{
    public const string File = "trace_matching.json";

    /// <summary>Trains the independent SAEs, chains them, writes trace_matching.json (the suite's trace.json shape plus the
    /// links) and returns its summary.</summary>
    public static MatchingResult Run(string root, string data, int[] layers, GroundTruth? truth, double threshold, string? device, CancellationToken cancel)
    {
        var manifest = SuiteFiles.RequireManifest(root);
        using var store = ActivationStore.Open(data);
        // Same data as the suite: an independent SAE trained elsewhere would not be the baseline it claims to be.
        if (manifest.Store is { } saved && saved.Identity != store.Identity)
            throw new BadInputException($"--data {data}: the matching baseline trains on the suite's own store, and this is another (its identity differs)");
        using var kernels = Backends.Create(device);
        var result = ProgressBar.Run("matching baseline", report => MatchingBaseline.Run(kernels, store, manifest.Config, layers, threshold,
            (layer, f) => report((Array.IndexOf(layers, layer) + f) / layers.Length, $"independent SAE, layer {layer}"), cancel));
        var recovery = truth is null ? null : result.Trace.Recover(truth);
        var precision = truth is null ? null : ChainPrecision.Measure(result.Trace, truth);
        var file = result.Trace.ToFile(recovery, precision) with { Method = "matching", MatchThreshold = threshold, Links = result.Links };
        string path = Path.Combine(root, File);
        Checkpoints.JsonFiles.Write(path, Checkpoints.JsonFiles.ToNode(file));
        return new MatchingResult("matching", Path.GetFullPath(path), threshold, result.Trace.Features.Count,
            result.Trace.Features.Count(f => f.DeathLayer is not null), SuiteTrace.Finite(recovery?.TraceCosine),
            SuiteTrace.Finite(recovery?.DeathLayerAccuracy), SuiteTrace.Finite(precision?.Precision), recovery?.Recovered, recovery?.Planted,
            recovery?.Fading);
    }
}
