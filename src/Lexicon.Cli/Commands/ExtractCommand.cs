using System.CommandLine;
using System.Diagnostics;
using Lexicon.Cli.Commands.Results;
using Lexicon.Models;
using Lexicon.Models.Brown;
using Lexicon.Output;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon extract</c>: an activation store of all-MiniLM-L6-v2's hidden states on a text (DESIGN.md §4).</summary>
public static class ExtractCommand
{
    private static readonly ExtractOptions Defaults = new();
    private static readonly Option<string> Out = Options.StoreOut();
    private static readonly Option<bool> Force = Options.Force("an activation store");
    private static readonly Option<string[]> Text = new("--text")
    {
        Description = "Plain-text files to read, in order",
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<string?> Corpus = Options.Optional<string?>("--corpus", "A known corpus instead of --text: brown (fetched once with npm, then cached)",
        Check.NotEmpty);
    private static readonly Option<long> Tokens = Options.Make("--tokens", "Tokens to extract, [CLS] and [SEP] included", Defaults.Tokens);
    private static readonly Option<string> Layers = Options.Make("--layers",
        "Hidden states to store: 0 = embeddings, N = after encoder layer N; ranges and lists (0-6, 1,3,5)", "0-6");
    private static readonly Option<int> MaxLength = Options.Make("--max-length",
        "Tokens per sequence, [CLS] and [SEP] included: text is packed into sequences this long (3..256)", Defaults.MaxLength);
    private static readonly Option<int> BatchSequences = Options.Make("--batch-sequences", "Sequences per forward pass (each core runs its own)", Defaults.BatchSequences);

    private static readonly Option<double> HeldOut = Options.Make("--heldout", "Share of whole sequences held out of training for out-of-sample evaluation", Defaults.HeldOut);
    private static readonly Option<long> Seed = Options.Make("--seed", "Random seed: which sequences are held out", Defaults.Seed);

    public static Command Create() => Verb.Create("extract", "Write an activation store of all-MiniLM-L6-v2's hidden states on a text", Run,
        Out, Force, Text, Corpus, Tokens, Layers, MaxLength, BatchSequences, HeldOut, Seed);

    private static ExtractionResult Run(ParseResult p, CancellationToken cancel)
    {
        var options = Defaults with
        {
            Layers = LayerSpec.Parse(p.GetValue(Layers)!),
            Tokens = p.GetValue(Tokens),
            MaxLength = p.GetValue(MaxLength),
            BatchSequences = p.GetValue(BatchSequences),
            HeldOut = p.GetValue(HeldOut),
            Seed = p.GetValue(Seed),
        };
        options.Validate();
        string[] files = p.GetValue(Text) ?? [];
        var (lines, source) = Source(files, p.GetValue(Corpus));
        using var claim = OutputDirectory.Claim(p.GetValue(Out), new OutputRequest("--out", OutputKind.Store)
        {
            Force = p.GetValue(Force),
            Inputs = [.. files.Select(f => ("--text", f))],
        });
        string outDir = claim.Path;
        var clock = Stopwatch.StartNew();
        var result = ProgressBar.Run("extract", report => ActivationExtractor.Extract(lines, source, options, outDir,
            new InlineProgress<long>(tokens => report((double)tokens / options.Tokens,
                $"{tokens:N0} tokens, {tokens / clock.Elapsed.TotalSeconds:N0} tokens/s")), cancel));
        claim.Commit();
        var manifest = result.Manifest;
        if (options.HeldOut > 0 && manifest.HeldOut is null)
            Console.Error.WriteLine($"lexicon: warning: {outDir} holds one sequence, so none is held out: its numbers will be in-sample");
        if (!p.GetValue(Verb.Json))
            Console.WriteLine($"wrote {outDir}: {manifest.Tokens:N0} tokens ({result.Sequences:N0} sequences) × {manifest.Layers.Length} layers × d {manifest.DModel} " +
                $"from {source} in {result.Seconds:F1} s ({result.TokensPerSecond:N0} tokens/s)");
        return new ExtractionResult(outDir, source, manifest.Model, manifest.Tokens, result.Sequences, manifest.Layers, manifest.DModel, manifest.VocabSize,
            manifest.SpecialTokens, manifest.HeldOut?.Sequences ?? 0, manifest.HeldOut?.Tokens ?? 0, result.LoadSeconds, result.Seconds,
            result.TokensPerSecond, result.ExtractTokensPerSecond);
    }

    /// <summary>The text's lines and a name for it; exactly one of --text and --corpus.</summary>
    private static (IEnumerable<string> Lines, string Source) Source(string[] files, string? corpus)
    {
        if (files.Length > 0 == corpus is not null)
            throw new BadInputException("--text/--corpus", "give exactly one of --text FILE... and --corpus brown");
        if (corpus is null)
        {
            foreach (string warning in TextFiles.Check(files)) Console.Error.WriteLine($"lexicon: warning: {warning}");
            return (TextFiles.Lines(files), string.Join(", ", files));
        }
        if (corpus != "brown") throw new BadInputException("--corpus", $"'{corpus}' is not a known corpus (known: brown)");
        string path = BrownCorpus.TextFile();
        return (TextFiles.Lines([path]), $"brown ({path})");
    }
}
