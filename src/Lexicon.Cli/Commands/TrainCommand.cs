using System.CommandLine;
using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon train</c>: one layer's TopK SAE, from scratch or resumed from a checkpoint.</summary>
public static class TrainCommand
{
    private static readonly Option<string?> Data = Options.Make<string?>("--data", "Activation store directory");
    private static readonly Option<int> Layer = Options.Make("--layer", "Layer to train on", 0);
    private static readonly Option<string?> Out = Options.Make<string?>("--out", "Checkpoint directory to write (default with --resume: the resumed one)");
    private static readonly TrainingFlags Flags = new("none");
    private static readonly Option<long> CheckpointEvery = Options.Make("--checkpoint-every", "Write a resumable checkpoint every N steps (0: at the end only)", 0L);
    private static readonly Option<long?> StopAfter = Options.Make<long?>("--stop-after-steps", "Stop after N steps of this invocation, leaving a resumable checkpoint");
    private static readonly Option<string?> Resume = Options.Make<string?>("--resume", "Continue the run saved in this checkpoint directory");
    private static readonly Option<bool> Compare = Options.Make<bool>("--compare",
        "Train the plain SAE and the tokenized one (--tables, default unigram) side by side; write OUT/plain and OUT/tokenized");
    private static readonly Option<int> CompareTokens = Options.Make("--compare-eval-tokens", "Size of the fixed sample both are evaluated on", 16384);
    private static readonly Option<int> ComparePoints = Options.Make("--compare-points", "Evaluations along each run", 50);

    /// <summary>Flags that define the run: fixed once it has started, so --resume refuses them.</summary>
    private static readonly Option[] RunDefinition = [Layer, .. Flags.All];

    public static Command Create() => Verb.Create("train", "Train a TopK SAE (plain or tokenized) on one layer of an activation store", Run,
        [Data, Layer, Out, .. Flags.All, CheckpointEvery, StopAfter, Resume, Compare, CompareTokens, ComparePoints, Options.Device]);

    private static JsonObject Run(ParseResult p, CancellationToken cancel)
    {
        if (p.GetValue(Compare)) return RunComparison(p);
        var (config, start, outDir) = p.GetValue(Resume) is { } resume ? FromCheckpoint(p, resume) : FromFlags(p);
        using var store = ActivationStore.Open(config.Data);
        store.Layer(config.Layer);
        config = config.Resolve(store.D, store.TokenCount);
        if (start is { } s && s.Weights.D != store.D)
            throw new BadInputException(store.Layer(config.Layer).Path, $"d_model {store.D} does not match the checkpoint's d_in {s.Weights.D}");
        using var kernels = Backends.Create(p.GetValue(Options.Device));
        using var trainer = new Trainer(kernels, store, config, start, model: ModelActivations.For(store));

        void Save(Trainer t) => Checkpoint.Write(outDir, config, t.Weights(), t.State(), Summary(t.Last), store.Manifest, t.Tables());
        var last = ProgressBar.Run($"train layer {config.Layer}", report => trainer.Run(
            p.GetValue(StopAfter) ?? long.MaxValue,
            progress => report((double)progress.Step / progress.TotalSteps,
                $"step {progress.Step}/{progress.TotalSteps}  loss {progress.Loss:F4}  L0 {progress.L0:F1}  dead {progress.DeadFraction:P1}  {progress.TokensPerSecond:N0} tok/s"),
            Save, cancel));
        Save(trainer);
        var result = Summary(last);
        result["out"] = Path.GetFullPath(outDir);
        result["finished"] = trainer.Finished;
        if (!p.GetValue(Verb.Json))
            Console.WriteLine($"{(trainer.Finished ? "trained" : "stopped at step " + trainer.Step + ", resumable")}: {outDir}  " +
                $"(last batch: nmse {last.Nmse:F4}, L0 {last.L0:F1}, dead {last.DeadFraction:P1}, {last.TokensPerSecond:N0} tokens/s)");
        return result;
    }

    /// <summary>--compare: the plain SAE (no tables) and the tokenized one (--tables, default unigram), same everything else.</summary>
    private static JsonObject RunComparison(ParseResult p)
    {
        if (p.GetValue(Resume) is not null) throw new BadInputException("--compare cannot be combined with --resume");
        var (config, _, outDir) = FromFlags(p);
        using var store = ActivationStore.Open(config.Data);
        store.Layer(config.Layer);
        var plain = (config with { Tables = "none" }).Resolve(store.D, store.TokenCount);
        var tokenized = (config with { Tables = config.Tables == "none" ? "unigram" : config.Tables }).Resolve(store.D, store.TokenCount);
        using var kernels = Backends.Create(p.GetValue(Options.Device));
        var result = ProgressBar.Run("compare", report => Comparison.Run(kernels, store, plain, tokenized, p.GetValue(CompareTokens), p.GetValue(ComparePoints),
            t => Checkpoint.Write(Path.Combine(outDir, t.Layout.IsEmpty ? "plain" : "tokenized"), t.Config, t.Weights(), t.State(), Summary(t.Last), store.Manifest, t.Tables()),
            (which, fraction) => report((which == "plain" ? 0 : 0.5) + fraction / 2, which), ModelActivations.For(store)));
        if (!p.GetValue(Verb.Json))
            Console.WriteLine($"plain nmse {result.PlainNmse:F4}, tokenized ({tokenized.Tables}) nmse {result.TokenizedNmse:F4}; the tokenized SAE reached the " +
                $"plain SAE's final nmse after {result.TokensToPlainFinalRatio:P1} of its tokens");
        return new JsonObject
        {
            ["out"] = Path.GetFullPath(outDir),
            ["tables"] = tokenized.Tables,
            ["plain_nmse"] = result.PlainNmse,
            ["tokenized_nmse"] = result.TokenizedNmse,
            ["plain_tokens"] = result.PlainTokens,
            ["tokenized_tokens_to_plain_final"] = result.TokenizedTokensToPlainFinal,
            ["tokens_to_plain_final_ratio"] = result.TokensToPlainFinalRatio,
            ["eval_tokens"] = Math.Min(p.GetValue(CompareTokens), store.TokenCount),
            ["plain_curve"] = Curve(result.Plain),
            ["tokenized_curve"] = Curve(result.Tokenized),
        };
    }

    private static JsonArray Curve(IReadOnlyList<CurvePoint> curve) =>
        new(curve.Select(c => (JsonNode)new JsonArray(c.Tokens, c.Nmse)).ToArray());

    private static (TrainConfig, TrainerStart?, string) FromFlags(ParseResult p)
    {
        string data = p.GetValue(Data) ?? throw new BadInputException("--data is required (or --resume DIR)");
        string outDir = p.GetValue(Out) ?? throw new BadInputException("--out is required (or --resume DIR)");
        var config = Flags.Read(p, data, p.GetValue(Layer)) with { CheckpointEvery = p.GetValue(CheckpointEvery) };
        return (config, null, outDir);
    }

    private static (TrainConfig, TrainerStart?, string) FromCheckpoint(ParseResult p, string resume)
    {
        var given = RunDefinition.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToArray();
        if (given.Length > 0)
            throw new BadInputException($"--resume continues the saved run as it was defined; {string.Join(", ", given)} cannot be changed");
        var checkpoint = Checkpoint.Load(resume);
        if (checkpoint.Config is null || checkpoint.State is null)
            throw new BadInputException(checkpoint.Directory, "not a resumable Lexicon checkpoint (lexicon.json or trainer_state.safetensors is missing)");
        var config = checkpoint.Config with
        {
            Data = p.GetValue(Data) ?? checkpoint.Config.Data,
            CheckpointEvery = p.GetResult(CheckpointEvery) is { Implicit: false } ? p.GetValue(CheckpointEvery) : checkpoint.Config.CheckpointEvery,
        };
        return (config, checkpoint.Start, p.GetValue(Out) ?? resume);
    }

    private static JsonObject Summary(TrainingProgress? progress) => progress?.ToJson() ?? [];
}
