using System.Text.Json.Nodes;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Checkpoints;

/// <summary>A checkpoint's lexicon.json: the run's config, its tables, its last measurements, the store it was trained
/// on (a suite layer adds its "pool" after these).</summary>
public sealed record LexiconJson
{
    public required string Format { get; init; }
    public ResolvedTrainConfig? Config { get; init; }
    public TableSpec[]? Tables { get; init; }
    public JsonObject? Summary { get; init; }
    public CheckpointStore? Store { get; init; }
}

/// <summary>lexicon.json's "store": where the checkpoint's store was, its identity, and the model it holds.</summary>
public sealed record CheckpointStore(string Path, string Identity, string? Model, string? Tokenizer, int? VocabSize, int? DModel);
