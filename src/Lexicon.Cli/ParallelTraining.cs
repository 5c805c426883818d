using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Distributed;
using Lexicon.Training;

namespace Lexicon.Cli;

/// <summary>
/// <c>mpiexec -n R lexicon train … [--parallel data|latents]</c>. Data (the default under MPI): every rank builds the
/// same trainer from the same flags, store and checkpoint, selects latents for its share of each batch
/// (<see cref="RowPartition"/>) and so holds the same weights after every step. Latents: each rank owns a range of the
/// latents (<see cref="LatentPartition"/>, given to the trainer as it is built). Either way the lead writes the
/// checkpoints, of the whole model. A no-op in a plain run.
/// </summary>
public static class ParallelTraining
{
    public const string Data = "data";
    public const string Latents = "latents";

    /// <summary><c>--parallel</c>, for train and bench.</summary>
    public static readonly System.CommandLine.Option<string> Flag = Options.Make("--parallel",
        "Under mpiexec: data (each rank selects latents for its share of every batch; the default) or latents (each rank owns M/R latents)",
        Data, new Configuration.OneOfAttribute(Data, Latents));

    /// <summary>How this rank divides the steps under mpiexec, in <paramref name="mode"/> (null in a plain run): for
    /// the trainer as it is built, or bench's step.</summary>
    public static IPartition? Partition(string mode, int latents, int k) =>
        Ranks.World is not { } world ? null : mode == Latents ? new LatentPartition(world, latents, k) : new RowPartition(world);

    /// <summary>Checks the ranks were given one run (config, store, starting step).</summary>
    public static void CheckSameRun(ResolvedTrainConfig config, ActivationStore store, LoadedCheckpoint? checkpoint)
    {
        if (Ranks.World is null) return;
        string run = JsonSerializer.Serialize(config) + "|" + store.Identity + "|" + (checkpoint?.State?.Step ?? 0);
        Ranks.Same(Encoding.UTF8.GetBytes(run), "the ranks' runs (flags, store, checkpoint)", badInput: true);
    }

    /// <summary>Before a checkpoint: every rank must hold the lead's weights, tables and state (a hash of them is
    /// compared), so what the lead writes is what every rank trained.</summary>
    public static void CheckSameWeights(Trainer trainer)
    {
        if (Ranks.World is null) return;
        var w = trainer.Weights();
        var state = trainer.State();
        var parts = new List<float[]> { w.WEnc, w.BEnc, w.WDec, w.BDec, state.Moment1, state.Moment2 };
        if (trainer.Tables() is { } tables) parts.Add(tables.Values);
        var bytes = new List<byte>();
        foreach (var part in parts) bytes.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(part.AsSpan()).ToArray());
        bytes.AddRange(BitConverter.GetBytes(state.Step));
        Ranks.Same(bytes.ToArray(), $"the weights at step {state.Step}", badInput: false);
    }

    /// <summary>The lead shows progress; the other ranks run quietly.</summary>
    public static T Progress<T>(string title, Func<Action<double, string>, T> work) =>
        Ranks.Lead ? ProgressBar.Run(title, work) : work((_, _) => { });

    /// <summary>Under MPI, bench's result adds the ranks and the payload each rank received per step. fma_peak_gflops
    /// stays one rank's (each measures its own, all at once); the roofline is the job's, R times it, and the GEMM's
    /// fraction of peak counts the rank's share of the rows (data) or of the latents (latents).</summary>
    public static void DescribeBench(JsonObject result, int steps, string mode)
    {
        if (Ranks.World is not { } world) return;
        foreach (var name in new[] { "roofline_fraction", "gemm_fraction_of_peak" })
            result[name] = result[name]!.GetValue<double>() / world.Size;
        result["roofline_tokens_per_s"] = result["roofline_tokens_per_s"]!.GetValue<double>() * world.Size;
        result["ranks"] = world.Size;
        result["parallel"] = mode;
        result["received_bytes_per_step"] = (double)world.ReceivedBytes / steps;
    }

    /// <summary>Under MPI, the result says how it ran: ranks, mode, and the payload each rank received from the others.</summary>
    public static void Describe(JsonObject result, string mode)
    {
        if (Ranks.World is not { } world) return;
        result["ranks"] = world.Size;
        result["parallel"] = mode;
        result["received_bytes"] = world.ReceivedBytes;
    }
}
