using System.CommandLine;
using Lexicon.Cli.Commands.Results;
using Lexicon.Output;
using Lexicon.Synthetic;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon synth</c>: an activation store with planted structure and its ground truth (DESIGN.md §6).</summary>
public static class SynthCommand
{
    private static readonly SynthOptions Defaults = new();
    private static readonly Option<string> Out = Options.StoreOut();
    private static readonly Option<bool> Force = Options.Force("an activation store");
    private static readonly Option<int> Layers = Options.Make("--layer-count", "Layers to generate (a count: layers 0..N-1)", Defaults.Layers);
    private static readonly Option<int> DModel = Options.Make("--d-model", "Width d of the activations", Defaults.DModel);
    private static readonly Option<int> Vocab = Options.Make("--vocab", "Vocabulary size", Defaults.Vocab);
    private static readonly Option<long> Tokens = Options.Make("--tokens", "Tokens to generate", Defaults.Tokens);
    private static readonly Option<int> Features = Options.Make("--features", "Planted sparse features", Defaults.Features);
    private static readonly Option<long> Seed = Options.Make("--seed", "Random seed", Defaults.Seed);
    private static readonly Option<int> SequenceLength = Options.Make("--sequence-length", "Tokens per sequence", Defaults.SequenceLength);
    private static readonly Option<string> DType = Options.Make("--dtype", "float32 or float16", Defaults.DType);
    private static readonly Option<double> HeldOut = Options.Make("--heldout", "Share of whole sequences held out of training for out-of-sample evaluation", Defaults.HeldOut);
    private static readonly Option<double> Noise = Options.Make("--noise", "Gaussian noise σ per dimension", Defaults.NoiseSigma);

    public static Command Create() => Verb.Create("synth", "Write a synthetic activation store with planted token, bigram and feature structure", Run,
        Out, Force, Layers, DModel, Vocab, Tokens, Features, Seed, SequenceLength, DType, HeldOut, Noise);

    private static SynthResult Run(ParseResult p, CancellationToken cancel)
    {
        var options = Defaults with
        {
            Layers = p.GetValue(Layers),
            DModel = p.GetValue(DModel),
            Vocab = p.GetValue(Vocab),
            Tokens = p.GetValue(Tokens),
            Features = p.GetValue(Features),
            Seed = p.GetValue(Seed),
            SequenceLength = p.GetValue(SequenceLength),
            DType = p.GetValue(DType)!,
            NoiseSigma = p.GetValue(Noise),
            HeldOut = p.GetValue(HeldOut),
        };
        options.Validate();
        using var claim = OutputDirectory.Claim(p.GetValue(Out), new OutputRequest("--out", OutputKind.Store) { Force = p.GetValue(Force) });
        string outDir = claim.Path;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var manifest = ProgressBar.Run("synth", report => SyntheticWorld.Generate(options, outDir, new InlineProgress<double>(f => report(f, ""))));
        claim.Commit();
        if (options.HeldOut > 0 && manifest.HeldOut is null)
            Console.Error.WriteLine($"lexicon: warning: {outDir} holds one sequence, so none is held out: its numbers will be in-sample");
        if (!p.GetValue(Verb.Json))
            Console.WriteLine($"wrote {outDir}: {manifest.Tokens:N0} tokens × {manifest.Layers.Length} layers × d {manifest.DModel}, ground truth included");
        return new SynthResult(outDir, manifest.Tokens, manifest.Layers.Length, manifest.DModel, manifest.VocabSize, manifest.HeldOut?.Tokens ?? 0,
            clock.Elapsed.TotalSeconds);
    }
}
