using System.Security.Cryptography;
using Lexicon.Distributed;
using Lexicon.Output;

namespace Lexicon.Cli;

/// <summary>
/// The command line under mpiexec (<see cref="World"/>): rank 0, the lead, writes every output and prints; the other
/// ranks compute and stay quiet. What only the lead does (claiming --out) is agreed on, so that when it fails every rank
/// exits with its code instead of waiting for it. In a plain run every answer is "this process".
/// </summary>
public static class Ranks
{
    /// <summary>The verbs that run across ranks; any other refuses mpiexec.</summary>
    public static readonly string[] Verbs = ["train", "bench", "report", "suite"];

    public static World? World => World.Current;

    /// <summary>This process writes outputs and prints (always, without mpiexec).</summary>
    public static bool Lead => World.Current?.IsLead ?? true;

    /// <summary>Runs <paramref name="work"/> on the lead alone (null elsewhere); when it fails there, the lead rethrows
    /// and every other rank ends quietly with the same exit code (<see cref="World.OnLead"/>).</summary>
    public static T? OnLead<T>(Func<T> work, string what) where T : class
    {
        if (World.Current is not { } world) return work();
        T? result = null;
        world.OnLead(() => result = work(), what);
        return result;
    }

    /// <summary>--out claimed (and made) by the lead, and its path on every rank (<see cref="SharedDirectory"/>): for
    /// the verbs whose ranks all write into it.</summary>
    public static (OutputClaim? Claim, string Root) ClaimShared(string? path, OutputRequest request)
    {
        var claim = OnLead(() =>
        {
            var c = OutputDirectory.Claim(path, request);
            Directory.CreateDirectory(c.Path);
            return c;
        }, $"claiming {request.Flag}");
        return (claim, SharedDirectory(claim?.Path, request.Flag));
    }

    /// <summary>Checks that every rank holds the same <paramref name="bytes"/> (a SHA-256 of them is gathered): the
    /// ranks were given the same run, or their weights have not drifted apart.</summary>
    public static void Same(ReadOnlySpan<byte> bytes, string what, bool badInput)
    {
        if (World.Current is not { } world) return;
        var own = SHA256.HashData(bytes);
        var all = new byte[own.Length * world.Size];
        own.CopyTo(all.AsSpan(own.Length * world.Rank));
        world.Allgather(all.AsSpan(), Enumerable.Repeat(own.Length, world.Size).ToArray(), what);
        for (int r = 1; r < world.Size; r++)
            if (!all.AsSpan(own.Length * r, own.Length).SequenceEqual(all.AsSpan(0, own.Length)))
            {
                string message = $"{what}: rank {r} differs from rank 0";
                if (badInput) throw new BadInputException("mpiexec", message);
                throw new InvalidOperationException(message);
            }
    }

    /// <summary>Every rank opened the same store: the same path on every host must hold the same content (the command
    /// lines, flags included, are already the same: see Program).</summary>
    public static void SameStore(Data.ActivationStore store) =>
        Same(System.Text.Encoding.UTF8.GetBytes(store.Identity), "the ranks' stores (--data)", badInput: true);

    /// <summary>The directory the lead claimed (<paramref name="leadPath"/> there, ignored elsewhere), on every rank:
    /// ranks that write into it (layer-parallel work) must see it, so they must share a file system with the lead. Every
    /// rank checks and all agree, so a rank that cannot see it ends every rank with the same error.</summary>
    public static string SharedDirectory(string? leadPath, string flag)
    {
        if (World.Current is not { } world) return leadPath!;
        var own = world.IsLead ? System.Text.Encoding.UTF8.GetBytes(leadPath!) : [];
        string path = System.Text.Encoding.UTF8.GetString(world.AllgatherBlocks(own, $"{flag}: the lead's directory")[0]);
        long blind = world.Max(Directory.Exists(path) ? -1 : world.Rank, $"{flag}: seeing the lead's directory");
        if (blind >= 0)
            throw new BadInputException(flag, $"rank {blind} cannot see {path}, which the lead writes: the ranks must share a file system");
        return path;
    }

    /// <summary>A failure's one line for stderr, or null where another rank prints it: bad input is the same on every
    /// rank (they read the same flags and files), so only the lead names it; other failures name their rank.</summary>
    public static string? Message(string line, bool badInput)
    {
        if (World.Current is not { } world) return line;
        if (badInput) return world.IsLead ? line : null;
        return world.IsLead ? line : line.Replace("lexicon: ", $"lexicon: rank {world.Rank}: ", StringComparison.Ordinal);
    }
}
