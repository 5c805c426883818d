using System.Diagnostics;
using System.Globalization;

namespace Lexicon.Distributed;

/// <summary>
/// Test hook: <c>LEXICON_TEST_RANK_FAILURE=RANK:N:die</c> makes that rank kill itself (SIGKILL) when it reaches its N-th
/// unit of work (1-based: a batch in data-parallel training, a job in layer-parallel work); <c>RANK:N:hang</c> makes it
/// stop answering there. Unset, nothing happens.
/// </summary>
public sealed class RankFailure
{
    public const string Variable = "LEXICON_TEST_RANK_FAILURE";

    private readonly int _rank;
    private readonly long _at;
    private readonly string _how;

    private RankFailure(int rank, long at, string how) => (_rank, _at, _how) = (rank, at, how);

    /// <summary>The hook the environment asks for, or null.</summary>
    public static RankFailure? FromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(text)) return null;
        var parts = text.Split(':');
        if (parts.Length != 3 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out int rank)
            || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out long at) || parts[2] is not ("die" or "hang"))
            throw new BadInputException(Variable, $"must be RANK:N:die or RANK:N:hang, got '{text}'");
        return new RankFailure(rank, at, parts[2]);
    }

    /// <summary>Fails here when this is the rank and the unit (<paramref name="what"/> <paramref name="unit"/>) asked for.</summary>
    public void At(int rank, long unit, string what)
    {
        if (rank != _rank || unit != _at) return;
        Console.Error.WriteLine($"lexicon: rank {rank}: {Variable}: {(_how == "die" ? "killing" : "hanging")} this rank at {what} {unit}");
        Console.Error.Flush();
        if (_how == "die") Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
    }
}
