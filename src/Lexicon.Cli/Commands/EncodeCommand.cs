using System.CommandLine;
using Lexicon.Cli.Commands.Results;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Models;
using Lexicon.Suite;

namespace Lexicon.Cli.Commands;

/// <summary>
/// <c>lexicon encode</c>: runs all-MiniLM-L6-v2 on a text, then the SAE or every layer of the suite, and prints per token
/// and layer the features that fire, with ids that stay the same across layers. The text goes through extract's own path
/// (tokenizer, packing into sequences, the hidden states) into a temporary store that is removed afterwards.
/// </summary>
public static class EncodeCommand
{
    private static readonly Option<string?> Sae = Options.Path("--sae", "Checkpoint directory (trained on MiniLM activations)");
    private static readonly Option<string?> SuiteDir = Options.Path("--suite", "Suite directory (trained on MiniLM activations)");
    private static readonly Option<string?> Text = Options.Optional<string?>("--text", "The text to encode", Check.NotEmpty);
    private static readonly Option<string?> TextFile = Options.Path("--text-file", "A plain-text file to encode");

    public static Command Create() => Verb.Create("encode",
        "Run an SAE or a suite on a text: per token and layer, the own latents and pooled features that fire, with their values", Run,
        Sae, SuiteDir, Text, TextFile, Options.Device);

    private static EncodeResult Run(ParseResult p, CancellationToken cancel)
    {
        string? sae = p.GetValue(Sae), suite = p.GetValue(SuiteDir), text = p.GetValue(Text), file = p.GetValue(TextFile);
        if (sae is null == suite is null) throw new BadInputException("--sae/--suite", "give exactly one of --sae DIR and --suite DIR");
        if (text is null == file is null) throw new BadInputException("--text/--text-file", "give exactly one of --text \"...\" and --text-file FILE");
        var checkpoint = sae is null ? null : Checkpoint.Load(sae);
        var manifest = suite is null ? null : SuiteFiles.RequireManifest(suite);
        int[] layers = checkpoint is not null
            ? [checkpoint.Config?.Layer ?? throw new BadInputException(sae!, "a checkpoint not written by Lexicon names no layer")]
            : [.. manifest!.Config.Layers.Append(manifest.Config.EnrichLayer).Distinct().Order()];
        if (layers.Any(l => l is < 0 or >= MiniLm.HiddenStates))
            throw new BadInputException(sae ?? suite!, $"trained on layer {layers.Max()}, which all-MiniLM-L6-v2 does not have (0..{MiniLm.HiddenStates - 1})");
        // Before any model runs: the text is read with MiniLM, so the model must have been trained on MiniLM's hidden states.
        if (manifest is not null && manifest.CompletedLayers.Length == 0) throw new BadInputException(suite!, "the suite has no finished layer yet");
        var trained = checkpoint ?? Checkpoint.Load(SuiteFiles.LayerDirectory(suite!, manifest!.CompletedLayers.Min()));
        if (trained.StoreModel is { } model && model.Model != MiniLm.ModelName)
            throw new BadInputException(sae is not null ? "--sae" : "--suite",
                $"{trained.Directory} was trained on a store of model '{model.Model}'; encode reads text with {MiniLm.ModelName}");
        IEnumerable<string> lines = text is not null ? [text] : Lines(file!);
        string temp = Path.Combine(Path.GetTempPath(), $"lexicon-encode-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            ActivationExtractor.Extract(lines, text is not null ? "--text" : file!, new ExtractOptions { Layers = layers, Tokens = int.MaxValue, HeldOut = 0 }, temp,
                cancel: cancel);
            using var store = ActivationStore.Open(temp);
            using var kernels = Backends.Create(p.GetValue(Options.Device));
            var readout = checkpoint is not null
                ? FeatureReadout.OfSae(kernels, checkpoint, store, layers[0])
                : FeatureReadout.OfSuite(kernels, suite!, store);
            return Report(store, readout, !p.GetValue(Verb.Json));
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    private static IEnumerable<string> Lines(string file)
    {
        foreach (string warning in TextFiles.Check([file])) Console.Error.WriteLine($"lexicon: warning: {warning}");
        return TextFiles.Lines([file]);
    }

    /// <summary>Every text token (not [CLS]/[SEP]) with its readout per layer; printed when asked.</summary>
    private static EncodeResult Report(ActivationStore store, List<LayerReadout>[] readout, bool print)
    {
        var tokenizer = MiniLmTokenizer.Create();
        var special = new HashSet<int>(store.Manifest.SpecialTokens);
        var tokens = new List<EncodedToken>();
        for (int row = 0; row < store.TokenCount; row++)
        {
            int id = store.Tokens[row];
            if (special.Contains(id)) continue;
            string piece = tokenizer.TokenText(id);
            if (print) Console.WriteLine($"{piece}  (token {id}, sequence position {store.Positions[row]})");
            if (print)
                foreach (var layer in readout[row])
                    Console.WriteLine($"  layer {layer.Layer}  own: {List(layer.Own)}" + (layer.Pooled.Count > 0 ? $"  pooled: {List(layer.Pooled)}" : ""));
            // A readout serialises as it is: layer, own and pooled, each fired feature as id and value.
            tokens.Add(new EncodedToken(piece, id, store.Positions[row], readout[row]));
        }
        return new EncodeResult(store.Manifest.Model, tokens);
    }

    /// <summary>The strongest few, for the terminal (--json has them all).</summary>
    private static string List(IReadOnlyList<FiredFeature> features)
    {
        if (features.Count == 0) return "-";
        var strongest = features.OrderByDescending(f => f.Value).Take(Shown).Select(f => $"{f.Id} {f.Value:F2}");
        return string.Join(", ", strongest) + (features.Count > Shown ? $" (+{features.Count - Shown})" : "");
    }

    private const int Shown = 6;
}
