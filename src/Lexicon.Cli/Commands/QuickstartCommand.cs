using System.CommandLine;
using System.Text.Json.Nodes;
using Lexicon.Data;
using Lexicon.Models;
using Lexicon.Output;

namespace Lexicon.Cli.Commands;

/// <summary>
/// <c>lexicon quickstart</c>: the out-of-the-box run on real activations. Extracts all seven hidden states of the embedded
/// all-MiniLM-L6-v2 on the Brown corpus (or --text), measures the n-gram variance shares, then trains the plain SAE, the
/// tokenized SAE and the suite on every layer and writes report/index.html: the same verbs a user would type, in order.
/// A store already extracted with the same settings is reused, so a second run only retrains.
/// </summary>
public static class QuickstartCommand
{
    private static readonly Option<string> Out = Options.Make("--out",
        "Working directory for the store and report/ (new, empty, or an earlier quickstart's, whose store is reused and report replaced)",
        "runs/quickstart", Check.NotEmpty);
    private static readonly Option<string[]> Text = new("--text")
    {
        Description = "Plain-text files to extract from instead of the Brown corpus (which needs npm)",
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<long> Tokens = Options.Make("--tokens", "Tokens to extract (a tenth is held out for evaluation)", 1_000_000L,
        Check.InRange(1, int.MaxValue));
    private const long NgramTokens = 200_000;
    private static readonly Option<int> Latents = Options.Make("--latents", "Own latents per layer, the same for the three", 1024, Check.AtLeast(1));
    private static readonly Option<int> K = Options.Make("--k", "Active own latents per token", 16, Check.AtLeast(1));
    // 600k: one pass over distinct training rows of the 1M-token store, which keeps the run under 20 minutes on 2 cores.
    private static readonly Option<long> TrainTokens = Options.Make("--train-tokens", "Training tokens per SAE", 600_000L, Check.AtLeast(1));

    private static readonly Option<string> Normalize = Options.Make("--normalize",
        "token (each token at norm √d for the SAEs and back: the loss then weighs tokens as the held-out NMSE does) or none", RowNorm.Token,
        new Lexicon.Configuration.OneOfAttribute(RowNorm.None, RowNorm.Token));

    public static Command Create() => Verb.Create("quickstart",
        "Extract MiniLM activations on the Brown corpus, train plain vs tokenized SAEs vs the suite on every layer, write a report (the README's first command)",
        Run, Out, Text, Tokens, Latents, K, TrainTokens, Normalize, Options.Device);

    private static JsonObject Run(ParseResult p, CancellationToken cancel)
    {
        long tokens = p.GetValue(Tokens);
        string[] text = p.GetValue(Text) ?? [];
        using var claim = OutputDirectory.Claim(p.GetValue(Out), new OutputRequest("--out", OutputKind.Quickstart)
        {
            Continue = true,
            Inputs = [.. text.Select(f => ("--text", f))],
        });
        string root = claim.Path;
        OutputKind.Quickstart.WriteMarker(Directory.CreateDirectory(root).FullName);
        // Only Brown stores are reused, so --text runs extract into a directory of their own: a later Brown run must
        // never take a text store of the same size for its own.
        string store = Path.Combine(root, text.Length > 0 ? "store_text" : "store");
        string[] source = text.Length > 0 ? ["--text", .. text] : ["--corpus", "brown"];
        if (text.Length == 0 && Reusable(store, tokens))
            Console.WriteLine($"reusing the store in {store} ({tokens:N0} tokens)");
        else
            Step(["extract", "--out", store, "--force", .. source, "--tokens", $"{tokens}", "--layers", "0-6"]);
        // The n-gram shares settle long before a million tokens; their four passes per layer would take minutes more.
        Step("ngrams", "--data", store, "--eval-tokens", $"{Math.Min(tokens, NgramTokens)}");
        string[] device = p.GetValue(Options.Device) is { } name ? ["--device", name] : [];
        Step(["report", "--data", store, "--out", Path.Combine(root, "report"), "--force", "--latents", $"{p.GetValue(Latents)}", "--k", $"{p.GetValue(K)}",
            "--train-tokens", $"{p.GetValue(TrainTokens)}", "--normalize", p.GetValue(Normalize)!, .. device]);
        claim.Commit();
        return new JsonObject
        {
            ["store"] = Path.GetFullPath(store),
            ["report"] = Path.GetFullPath(Path.Combine(root, "report", "index.html")),
        };
    }

    /// <summary>A complete Brown store of this size from an earlier run (the store is written whole or not at all).</summary>
    private static bool Reusable(string store, long tokens)
    {
        if (!File.Exists(Path.Combine(store, StoreManifest.FileName))) return false;
        try
        {
            var manifest = StoreManifest.Read(store);
            return manifest.Tokens == tokens && manifest.Layers.Length == MiniLm.HiddenStates && manifest.Model == MiniLm.ModelName
                && manifest.HeldOut is not null;
        }
        catch (BadInputException)
        {
            return false;
        }
    }

    private static void Step(params string[] args)
    {
        Console.WriteLine($"$ lexicon {string.Join(' ', args)}");
        int code = Program.Run(args);
        if (code != ExitCodes.Ok) throw new StepFailedException(args[0], code);
    }
}
