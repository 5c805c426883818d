using System.Text.Json.Nodes;
using Lexicon.Data;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Checkpoints;

/// <summary>A named float tensor for a checkpoint's lexicon.safetensors.</summary>
public sealed record NamedTensor(string Name, float[] Values, long[] Shape);

/// <summary>What a checkpoint holds: the run's config and weights, and what else there is of it.</summary>
public sealed record CheckpointContent(ResolvedTrainConfig Config, SaeWeights Weights)
{
    /// <summary>Adam moments, counters and cursor: present in a resumable checkpoint.</summary>
    public TrainerState? State { get; init; }

    /// <summary>The run's last measurements (lexicon.json's "summary").</summary>
    public JsonObject? Summary { get; init; }

    /// <summary>The store it was trained on: its manifest and <see cref="StoreIdentity"/>.</summary>
    public StoreManifest? Store { get; init; }
    public string? StoreIdentity { get; init; }

    public TableWeights? Tables { get; init; }

    /// <summary>More tensors for lexicon.safetensors (the suite's pooled decoders).</summary>
    public IReadOnlyList<NamedTensor> ExtraTensors { get; init; } = [];

    /// <summary>More entries for lexicon.json (the suite's pool description).</summary>
    public JsonObject? ExtraJson { get; init; }

    /// <summary>A trainer's run as it stands, on its store; resumable unless <paramref name="resumable"/> is false.</summary>
    public static CheckpointContent Of(Trainer trainer, ActivationStore store, bool resumable = true) =>
        new(trainer.Config, trainer.Weights())
        {
            State = resumable ? trainer.State() : null,
            Summary = trainer.Last?.ToJson() ?? [],
            Store = store.Manifest,
            StoreIdentity = store.Identity,
            Tables = trainer.Tables(),
        };
}
