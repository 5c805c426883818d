using System.CommandLine;
using System.Text.Json.Nodes;
using Lexicon.Data;
using Lexicon.Metrics;
using Spectre.Console;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon ngrams</c>: per layer, the variance explained by unigram, bigram and trigram means (held out).</summary>
public static class NgramsCommand
{
    private static readonly Option<string> Data = Options.Required("--data", "Activation store directory");

    private static readonly Option<long?> Tokens = Options.Optional<long?>("--eval-tokens", "Measure on the store's first N tokens (default: all)", Check.AtLeast(1));

    public static Command Create() => Verb.Create("ngrams", "Share of variance explained by per-key means of unigrams, bigrams, trigrams, per layer", Run,
        Data, Tokens);

    private static JsonObject Run(ParseResult p, CancellationToken cancel)
    {
        using var store = ActivationStore.Open(p.GetValue(Data)!);
        var layers = new List<NgramLayerShares>();
        foreach (int layer in store.Manifest.Layers)
        {
            cancel.ThrowIfCancellationRequested();
            layers.Add(ProgressBar.Run($"ngrams layer {layer}", report => NgramShares.Measure(store, layer, new InlineProgress<double>(f => report(f, "")),
                p.GetValue(Tokens) ?? long.MaxValue)));
        }
        if (!p.GetValue(Verb.Json))
        {
            var table = new Table().AddColumns("layer", "unigram", "bigram", "trigram", "κ (uni/bi/tri)");
            foreach (var l in layers)
                table.AddRow($"{l.Layer}", $"{l.Unigram:F4}", $"{l.Bigram:F4}", $"{l.Trigram:F4}", string.Join(" / ", l.Kappa.Select(k => $"{k:G3}")));
            AnsiConsole.Write(table);
        }
        return new JsonObject
        {
            ["split"] = store.HasHeldOut ? "heldout" : "every_5th_sequence",
            ["estimator"] = "per-key means shrunk toward the shorter key's prediction, c/(c+kappa), kappa chosen on a validation fold",
            ["layers"] = new JsonArray(layers.Select(l => (JsonNode)new JsonObject
            {
                ["layer"] = l.Layer,
                ["unigram"] = l.Unigram,
                ["bigram"] = l.Bigram,
                ["trigram"] = l.Trigram,
                ["kappa"] = new JsonArray(l.Kappa.Select(k => (JsonNode)(double.IsInfinity(k) ? "inf" : k)).ToArray()),
                ["train_tokens"] = l.TrainTokens,
                ["held_out_tokens"] = l.HeldOutTokens,
            }).ToArray()),
        };
    }
}
