using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>Where a resumed run picks up: its weights, its tables (if it has any) and the trainer state.</summary>
public sealed record TrainerStart(SaeWeights Weights, TableWeights? Tables, TrainerState State);
