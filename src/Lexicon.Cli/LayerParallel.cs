using System.Text.Json;
using System.Text.Json.Serialization;
using Lexicon.Checkpoints;

namespace Lexicon.Cli;

/// <summary>
/// Layer-parallel work under mpiexec: jobs independent of each other (the report's plain and tokenized SAE of each
/// layer) shared round-robin among the ranks, rank r taking jobs r, r + R, …. Each job writes its own outputs into the
/// lead's claimed directory (<see cref="Ranks.SharedDirectory"/>) and returns a result, which every rank then holds, in
/// job order. A job is the same single-process run in either case, so its outputs are the same bits. In one process
/// every job runs here, in order.
/// </summary>
public static class LayerParallel
{
    // Results travel as JSON (the snake_case records of the outputs); doubles round-trip exactly, NaN included.
    private static readonly JsonSerializerOptions Wire = new(JsonFiles.Options)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    /// <summary>Jobs 0 … <paramref name="jobs"/> − 1, this rank's share here, every result everywhere.</summary>
    public static List<T> Run<T>(int jobs, Func<int, T> job, string what)
    {
        if (Ranks.World is not { } world) return [.. Enumerable.Range(0, jobs).Select(job)];
        world.Start(); // from here a failure is this rank's alone and ends the job, not a wait
        var failure = Lexicon.Distributed.RankFailure.FromEnvironment();
        var own = new List<T>();
        for (int j = world.Rank; j < jobs; j += world.Size)
        {
            failure?.At(world.Rank, own.Count + 1, "job");
            own.Add(job(j));
        }
        // The others may still be training their share: this wait has no deadline (a rank that dies still ends the job).
        var blocks = world.AllgatherBlocks(JsonSerializer.SerializeToUtf8Bytes(own, Wire), what, afterWork: true);
        var results = new T[jobs];
        for (int r = 0; r < world.Size; r++)
        {
            var block = JsonSerializer.Deserialize<List<T>>(blocks[r], Wire)!;
            for (int i = 0; i < block.Count; i++) results[r + i * world.Size] = block[i];
        }
        return [.. results];
    }
}
