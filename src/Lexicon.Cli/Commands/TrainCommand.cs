using System.CommandLine;
using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Cli.Commands.Results;
using Lexicon.Configuration;
using Lexicon.Data;
using Lexicon.Output;
using Lexicon.Training;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon train</c>: one layer's TopK SAE, from scratch or resumed from a checkpoint.</summary>
public static class TrainCommand
{
    private static readonly Option<string?> Data = Options.Path("--data", "Activation store directory");
    private static readonly Option<int> Layer = Options.Make("--layer", "Layer to train on", 0, Check.Layer);
    private static readonly Option<string?> Out = Options.Path("--out",
        "Checkpoint directory to write: new, empty, or (with --force) a Lexicon checkpoint to replace; default with --resume: the resumed one");
    private static readonly Option<bool> Force = Options.Force("a checkpoint (or, with --compare, a comparison)");
    private static readonly TrainingFlags Flags = new(new TrainConfig());
    private static readonly Option<long> CheckpointEvery = Options.Make("--checkpoint-every", "Write a resumable checkpoint every N steps (0: at the end only)", 0L, Check.AtLeast(0));
    private static readonly Option<long?> StopAfter = Options.Optional<long?>("--stop-after-steps", "Stop after N steps of this invocation, leaving a resumable checkpoint", Check.AtLeast(1));
    private static readonly Option<string?> Resume = Options.Path("--resume", "Continue the run saved in this checkpoint directory (to the end of its budget)");
    private static readonly Option<bool> Compare = Options.Make("--compare",
        "Train the plain SAE and the tokenized one (--tables, default unigram) side by side; write OUT/plain and OUT/tokenized", false);
    private static readonly Option<int> CompareTokens = Options.Make("--compare-eval-tokens", "Size of the fixed sample both are evaluated on", 16384, Check.AtLeast(1));
    private static readonly Option<int> ComparePoints = Options.Make("--compare-points", "Evaluations along each run", 50, Check.AtLeast(1));

    /// <summary>Flags that define the run: fixed once it has started, so --resume refuses them.</summary>
    private static readonly Option[] RunDefinition = [Layer, .. Flags.All];

    public static Command Create() => Verb.Create("train", "Train a TopK SAE (plain or tokenized) on one layer of an activation store", Run,
        [Data, Layer, Out, Force, .. Flags.All, CheckpointEvery, StopAfter, Resume, Compare, CompareTokens, ComparePoints, TrainLayers.Flag, ParallelTraining.Flag, Options.Device, Options.Precision]);

    private static object Run(ParseResult p, CancellationToken cancel)
    {
        if (p.GetValue(TrainLayers.Flag) is { } layers) return RunLayers(p, layers, cancel);
        if (p.GetValue(Compare))
            return Ranks.World is null ? RunComparison(p) : throw new BadInputException("--compare", "runs in one process, not under mpiexec");
        string? resume = p.GetValue(Resume);
        var (request, checkpoint, outDir) = resume is not null ? FromCheckpoint(p, resume) : FromFlags(p);
        // Resumed in place: the checkpoint is continued where it is (the path as given: Load may have found it aside).
        bool inPlace = resume is not null && AtomicDirectory.Full(outDir) == AtomicDirectory.Full(resume);
        using var store = ActivationStore.Open(request.Data);
        store.Layer(request.Layer);
        var config = request.Resolve(store.D, store.TokenCount);
        if (checkpoint is not null)
        {
            if (checkpoint.Weights.D != store.D)
                throw new BadInputException(store.Layer(config.Layer).Path, $"d_model {store.D} does not match the checkpoint's d_in {checkpoint.Weights.D}");
            if (checkpoint.StoreIdentity is { } identity && identity != store.Identity)
                throw new BadInputException(store.Directory, $"--data: not the store this checkpoint was trained on (its identity is {store.Identity}, " +
                    $"the checkpoint's {identity}); resume on the same store");
            Trainer.CheckProgress(checkpoint.State!, config, Trainer.TrainingRows(store, config).Length);
            if (checkpoint.State!.Step >= config.TotalSteps) return Finished(p, checkpoint, outDir, inPlace);
        }
        string mode = p.GetValue(ParallelTraining.Flag)!;
        var partition = ParallelTraining.Partition(mode, config.Latents, config.K);
        // Under mpiexec the lead alone claims and writes --out; the other ranks never touch it.
        using var claim = Ranks.OnLead(() => OutputDirectory.Claim(outDir, new OutputRequest("--out", OutputKind.Checkpoint)
        {
            Force = p.GetValue(Force),
            Continue = inPlace,
            Inputs = [("--data", config.Data), .. inPlace || resume is null ? Array.Empty<(string, string)>() : [("--resume", resume)]],
            Hint = "--resume continues it, --force replaces it",
        }), "claiming --out");
        using var kernels = Options.Kernels(p);
        using var trainer = new Trainer(kernels, store, config, checkpoint?.Start, model: ModelActivations.For(store), partition: partition);
        ParallelTraining.CheckSameRun(config, store, checkpoint);

        void Save(Trainer t)
        {
            ParallelTraining.CheckSameWeights(t);
            // Made on every rank: latent-parallel, the whole model is gathered from all of them.
            var content = CheckpointContent.Of(t, store);
            if (claim is not null) Checkpoint.Write(claim.Path, content);
        }
        var last = ParallelTraining.Progress($"train layer {config.Layer}", report => trainer.Run(
            p.GetValue(StopAfter) ?? long.MaxValue,
            progress => report((double)progress.Step / progress.TotalSteps,
                $"step {progress.Step}/{progress.TotalSteps}  loss {progress.Loss:F4}  L0 {progress.L0:F1}  dead {progress.DeadFraction:P1}  {progress.TokensPerSecond:N0} tok/s"),
            Save, cancel));
        Save(trainer);
        claim?.Commit();
        string written = claim?.Path ?? AtomicDirectory.Full(outDir);
        var result = Verb.ToJson(new TrainResult(last.Summary, written, trainer.Finished));
        ParallelTraining.Describe(result, mode);
        if (!p.GetValue(Verb.Json) && Ranks.Lead)
            Console.WriteLine($"{(trainer.Finished ? "trained" : "stopped at step " + trainer.Step + ", resumable")}: {written}  " +
                $"(last batch: nmse {last.Nmse:F4}, L0 {last.L0:F1}, dead {last.DeadFraction:P1}, {last.TokensPerSecond:N0} tokens/s)");
        return result;
    }

    /// <summary>A resume of a run that has already finished: nothing to do, and nothing is rewritten. Its summary is echoed
    /// from lexicon.json as saved (a suite layer's has more fields than a run's), so it stays a JsonObject.</summary>
    private static JsonObject Finished(ParseResult p, LoadedCheckpoint checkpoint, string outDir, bool inPlace)
    {
        if (!inPlace)
            throw new BadInputException(checkpoint.Directory, $"--resume: this run has already finished (step {checkpoint.State!.Step}); nothing to continue into --out");
        var result = checkpoint.Summary?.DeepClone().AsObject() ?? [];
        result["out"] = AtomicDirectory.Full(outDir);
        result["finished"] = true;
        if (!p.GetValue(Verb.Json) && Ranks.Lead) Console.WriteLine($"already finished at step {checkpoint.State!.Step}: {checkpoint.Directory} (left as it is)");
        return result;
    }

    /// <summary>--layers: one SAE per layer, the same flags; each layer's run is the one-process run.</summary>
    private static TrainLayers.Result RunLayers(ParseResult p, string layers, CancellationToken cancel)
    {
        var given = new Option[] { Layer, Resume, Compare, StopAfter, CheckpointEvery }.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
        if (given.Length > 0) throw new BadInputException("--layers", $"trains every listed layer to the end; it does not go with {string.Join(", ", given)}");
        if (p.GetValue(ParallelTraining.Flag) != ParallelTraining.Data)
            throw new BadInputException("--parallel", "with --layers the ranks take the layers; each layer runs in one process");
        var (config, _, outDir) = FromFlags(p);
        return TrainLayers.Run(p, layers, config, outDir, p.GetValue(Force), p.GetValue(Options.Device), cancel);
    }

    /// <summary>--compare: the plain SAE (no tables) and the tokenized one (--tables, default unigram), same everything else.</summary>
    private static CompareResult RunComparison(ParseResult p)
    {
        if (p.GetValue(Resume) is not null) throw new BadInputException("--compare cannot be combined with --resume");
        var (config, _, outDir) = FromFlags(p);
        using var store = ActivationStore.Open(config.Data);
        store.Layer(config.Layer);
        var plain = (config with { Tables = "none" }).Resolve(store.D, store.TokenCount);
        var tokenized = (config with { Tables = config.Tables == "none" ? "unigram" : config.Tables }).Resolve(store.D, store.TokenCount);
        using var claim = OutputDirectory.Claim(outDir, new OutputRequest("--out", OutputKind.Comparison)
        {
            Force = p.GetValue(Force),
            Inputs = [("--data", config.Data)],
        });
        OutputKind.Comparison.WriteMarker(Directory.CreateDirectory(claim.Path).FullName);
        using var kernels = Options.Kernels(p);
        var result = ProgressBar.Run("compare", report => Comparison.Run(kernels, store, plain, tokenized, p.GetValue(CompareTokens), p.GetValue(ComparePoints),
            t => Checkpoint.Write(Path.Combine(claim.Path, t.Layout.IsEmpty ? "plain" : "tokenized"), CheckpointContent.Of(t, store)),
            (which, fraction) => report((which == "plain" ? 0 : 0.5) + fraction / 2, which), ModelActivations.For(store)));
        claim.Commit();
        if (!p.GetValue(Verb.Json))
            Console.WriteLine($"{result.Split.Name()} rows: plain fvu {result.PlainFvu:F4} (nmse {result.PlainNmse:F4}), tokenized ({tokenized.Tables}) fvu " +
                $"{result.TokenizedFvu:F4} (nmse {result.TokenizedNmse:F4}); the tokenized SAE reached the plain SAE's final fvu after " +
                $"{result.TokensToPlainFinalRatio:P1} of its tokens");
        return new CompareResult(claim.Path, tokenized.Tables, result.Split.Name(), result.Split != Split.HeldOut, "fvu", result.PlainFvu,
            result.TokenizedFvu, result.PlainNmse, result.TokenizedNmse, result.PlainTokens, result.TokenizedTokensToPlainFinal,
            result.TokensToPlainFinalRatio, result.EvalTokens, CompareResult.Curve(result.Plain), CompareResult.Curve(result.Tokenized));
    }

    private static (TrainConfig, LoadedCheckpoint?, string) FromFlags(ParseResult p)
    {
        string data = p.GetValue(Data) ?? throw new BadInputException("--data", "is required (or --resume DIR)");
        string outDir = p.GetValue(Out) ?? throw new BadInputException("--out", "is required (or --resume DIR)");
        var config = Flags.Read(p, data, p.GetValue(Layer)) with { CheckpointEvery = p.GetValue(CheckpointEvery) };
        return (config, null, outDir);
    }

    private static (TrainConfig, LoadedCheckpoint?, string) FromCheckpoint(ParseResult p, string resume)
    {
        var given = RunDefinition.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
        if (given.Length > 0)
            throw new BadInputException($"--resume continues the saved run as it was defined; {string.Join(", ", given)} cannot be changed");
        var checkpoint = Checkpoint.Load(resume);
        if (checkpoint.Config is null || checkpoint.State is null)
            throw new BadInputException(checkpoint.Directory, "not a resumable Lexicon checkpoint (lexicon.json or trainer_state.safetensors is missing)");
        // The saved run as a request: resolving it again on the same store changes nothing.
        var config = new TrainConfig(checkpoint.Config)
        {
            Data = p.GetValue(Data) is { } data ? Path.GetFullPath(data) : checkpoint.Config.Data,
            CheckpointEvery = p.GetResult(CheckpointEvery) is { Implicit: false } ? p.GetValue(CheckpointEvery) : checkpoint.Config.CheckpointEvery,
        };
        return (config, checkpoint, p.GetValue(Out) ?? resume);
    }
}
