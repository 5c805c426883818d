using System.CommandLine;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Output;
using Lexicon.Training;

namespace Lexicon.Cli.Commands;

/// <summary>
/// <c>lexicon train --layers LIST</c>: one independent SAE per layer, the same flags for each, written as resumable
/// checkpoints OUT/layer_NN (each resumes alone with <c>train --resume OUT/layer_NN</c>). Under mpiexec the ranks take
/// the layers in turn (<see cref="LayerParallel"/>), each layer the one-process run, so the same bits.
/// </summary>
public static class TrainLayers
{
    public static readonly Option<string?> Flag = Options.Optional<string?>("--layers",
        "Train one SAE per layer of this list (e.g. 0-3) into OUT/layer_NN; under mpiexec the ranks take the layers in turn", Check.NotEmpty);

    /// <summary>A layer's run as the result lists it.</summary>
    public sealed record LayerRun(int Layer, string Out, TrainingSummary Summary);

    public sealed record Result(string Out, IReadOnlyList<LayerRun> Layers);

    public static Result Run(ParseResult p, string spec, TrainConfig template, string outDir, bool force, string? device, CancellationToken cancel)
    {
        var layers = LayerList.Parse(spec);
        using var store = ActivationStore.Open(template.Data);
        var configs = layers.Select(layer =>
        {
            store.Layer(layer);
            return (template with { Layer = layer }).Resolve(store.D, store.TokenCount);
        }).ToArray(); // every layer's flags checked before anything is claimed
        Ranks.SameStore(store);
        var (claim, root) = Ranks.ClaimShared(outDir, new OutputRequest("--out", OutputKind.Layers) { Force = force, Inputs = [("--data", template.Data)] });
        using var _ = claim;
        if (Ranks.Lead) OutputKind.Layers.WriteMarker(root);
        using var kernels = Backends.Create(device, Options.PrecisionOf(p));
        var model = ModelActivations.For(store); // one for every layer: --table-init model runs the model once for all of them
        var runs = LayerParallel.Run(layers.Length, j =>
        {
            var config = configs[j];
            string directory = Path.Combine(root, $"layer_{config.Layer:D2}");
            using var trainer = new Trainer(kernels, store, config, model: model);
            var last = ParallelTraining.Progress($"train layer {config.Layer}", report => trainer.Run(
                onProgress: pr => report((double)pr.Step / pr.TotalSteps, $"step {pr.Step}/{pr.TotalSteps}  loss {pr.Loss:F4}"), cancel: cancel));
            Checkpoint.Write(directory, CheckpointContent.Of(trainer, store));
            return new LayerRun(config.Layer, directory, last.Summary);
        }, "the layers' SAEs");
        claim?.Commit();
        var result = new Result(root, runs);
        if (!p.GetValue(Verb.Json) && Ranks.Lead)
            foreach (var run in runs)
                Console.WriteLine($"trained layer {run.Layer}: {run.Out}  (last batch: nmse {run.Summary.Nmse:F4}, L0 {run.Summary.L0:F1})");
        return result;
    }
}
