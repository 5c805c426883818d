using System.Text.Json;

namespace Lexicon.Output;

/// <summary>
/// A kind of directory Lexicon writes, recognisable by one file of its own holding <c>"format": FORMAT</c>:
/// lexicon.json for a checkpoint, manifest.json for an activation store, suite.json for a suite; the directories that
/// hold several of those (a report, a comparison, the quickstart) get a small marker file of their own, written first.
/// </summary>
/// <param name="Entries">What a directory of this kind holds (file and folder names, '*' for any run of characters):
/// --force replaces a directory of this kind only when it holds nothing else.</param>
public sealed record OutputKind(string Name, string MarkerFile, string Format, string[] Entries)
{
    public static readonly OutputKind Checkpoint = new("checkpoint", "lexicon.json", "lexicon-sae/1",
        ["cfg.json", "sae_weights.safetensors", "lexicon.json", "lexicon.safetensors", "trainer_state.safetensors"]);
    public static readonly OutputKind Store = new("activation store", "manifest.json", "lexicon-activations/1",
        ["manifest.json", "tokens.npy", "positions.npy", "layer_*.npy", "ground_truth.safetensors", "*.partial-*"]);
    public static readonly OutputKind Suite = new("suite", "suite.json", "lexicon-suite/1",
        ["suite.json", "layer_*", "enriched", ".layer_*", ".enriched.*", "codes", "trace.json", "trace.png", "*.partial-*"]);
    public static readonly OutputKind Report = new("report", "report.json", "lexicon-report/1",
        ["report.json", "index.html", "*.png", "plain", "tokenized", "suite", ".suite.*", "features"]);
    public static readonly OutputKind Comparison = new("comparison", "compare.json", "lexicon-compare/1",
        ["compare.json", "plain", "tokenized", ".plain.*", ".tokenized.*"]);
    public static readonly OutputKind Quickstart = new("quickstart directory", "quickstart.json", "lexicon-quickstart/1",
        ["quickstart.json", "store", "store_text", "report", ".store.*", ".store_text.*", ".report.*"]);

    public static readonly OutputKind Layers = new("per-layer training", "layers.json", "lexicon-layers/1",
        ["layers.json", "layer_*", ".layer_*"]);

    // A small marker of its own: features.json grows with the features (tens of MB for a large suite).
    public static readonly OutputKind FeatureSite = new("feature site", "site.json", "lexicon-features/1",
        ["site.json", "features.json", "index.html", "site.js", "site.css", "f"]);

    public static IReadOnlyList<OutputKind> All { get; } = [Checkpoint, Store, Suite, Report, Comparison, Quickstart, FeatureSite, Layers];

    /// <summary>The kind of Lexicon output <paramref name="directory"/> holds, or null (not ours, or not a directory).</summary>
    public static OutputKind? Of(string directory) => All.FirstOrDefault(kind => kind.Holds(directory));

    public bool Holds(string directory) => Problem(directory) is null;

    /// <summary>Why directory's marker file does not make it one of this kind (null when it does).</summary>
    public string? Problem(string directory)
    {
        string path = Path.Combine(directory, MarkerFile);
        if (!File.Exists(path)) return $"has no {MarkerFile}";
        try
        {
            using var stream = File.OpenRead(path);
            if (stream.Length > 64 << 20) return $"its {MarkerFile} is too large to be Lexicon's";
            using var json = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("format", out var format)
                || format.ValueKind != JsonValueKind.String)
                return $"its {MarkerFile} has no \"format\"";
            return format.GetString() == Format ? null : $"its {MarkerFile} has format '{format.GetString()}', not '{Format}'";
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return $"its {MarkerFile} cannot be read as JSON ({Checkpoints.JsonFiles.Reason(e)})";
        }
    }

    /// <summary>Entries of <paramref name="directory"/> that a directory of this kind does not hold (a user's files).</summary>
    public IEnumerable<string> Foreign(string directory) =>
        Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>()
            .Where(name => !Entries.Any(pattern => Matches(pattern, name)));

    private static bool Matches(string pattern, string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name, "^" + string.Join(".*", pattern.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$");

    /// <summary>Writes the marker of a kind that has no file of its own to be recognised by.</summary>
    public void WriteMarker(string directory) =>
        File.WriteAllText(Path.Combine(directory, MarkerFile), $"{{\n  \"format\": \"{Format}\"\n}}\n");
}
