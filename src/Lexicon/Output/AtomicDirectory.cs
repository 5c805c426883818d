using System.Text.RegularExpressions;

namespace Lexicon.Output;

/// <summary>
/// Writes a directory as a whole or not at all. Content goes into a hidden sibling <c>.NAME.partial-PID-ID</c>, which
/// then replaces the target by two renames: target → <c>.NAME.replaced</c>, partial → target; then the replaced one
/// is deleted. At every instant a complete directory is at target or, between the renames, at <c>.NAME.replaced</c>,
/// where <see cref="Resolve"/> finds it and <see cref="Recover"/> puts it back. Leftover partials of killed runs are
/// removed by the next write (the caller holds the target's <see cref="OutputLock"/>, so no other run is writing them).
/// </summary>
public static partial class AtomicDirectory
{
    /// <summary>Steps of the replace sequence, for tests that inject a fault between each two.</summary>
    public enum Step { Written, MovedAside, MovedIn }

    /// <summary>Called after each step on this flow of execution only (tests throw here to play a crash at that point);
    /// unset in production.</summary>
    internal static readonly AsyncLocal<Action<Step>?> AfterStep = new();

    /// <summary>Runs write(partialDirectory), then swaps the result in. If write throws, nothing at target changes.</summary>
    public static void Write(string target, Action<string> write)
    {
        target = Full(target);
        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        Recover(target, Replaced(target));
        string partial = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(partial);
        try
        {
            write(partial);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
        AfterStep.Value?.Invoke(Step.Written);
        string replaced = Replaced(target);
        bool hadTarget = Directory.Exists(target);
        if (hadTarget) Directory.Move(target, replaced);
        AfterStep.Value?.Invoke(Step.MovedAside);
        Directory.Move(partial, target);
        AfterStep.Value?.Invoke(Step.MovedIn);
        if (hadTarget) TryDelete(replaced);
    }

    /// <summary>The directory to read: target, or the complete copy an interrupted replace left aside.</summary>
    public static string Resolve(string target)
    {
        target = Full(target);
        if (Directory.Exists(target)) return target;
        foreach (string aside in new[] { Replaced(target), Previous(target) })
            if (Directory.Exists(aside)) return aside;
        return target;
    }

    /// <summary>Finishes what an interrupted replace or a killed run left (the caller holds the target's lock): a copy
    /// left aside goes back to target if target is missing, and is deleted if target is there (the target got there
    /// whole, by a rename); every partial directory is deleted.</summary>
    public static void Recover(string target)
    {
        target = Full(target);
        Recover(target, Replaced(target), Previous(target));
    }

    /// <summary>A write recovers only its own swap: a --force run's kept-aside output (<see cref="Previous"/>) is the
    /// claim's to put back or delete.</summary>
    private static void Recover(string target, params string[] asides)
    {
        target = Full(target);
        foreach (string aside in asides)
        {
            if (!Directory.Exists(aside)) continue;
            if (Directory.Exists(target)) TryDelete(aside);
            else Directory.Move(aside, target);
        }
        string parent = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(parent)) return;
        var pattern = PartialName(Path.GetFileName(target));
        foreach (string leftover in Directory.EnumerateDirectories(parent, ".*"))
            if (pattern.IsMatch(Path.GetFileName(leftover))) TryDelete(leftover);
    }

    /// <summary>Where a replace keeps the old directory between its two renames.</summary>
    internal static string Replaced(string target) => Aside(target, "replaced");

    /// <summary>Where a --force run keeps the directory it replaces until it has finished (put back if it fails).</summary>
    internal static string Previous(string target) => Aside(target, "previous");

    public static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static string Aside(string target, string what) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{what}");

    /// <summary>Only names this class makes are ever deleted: .NAME.partial-PID-32HEX.</summary>
    private static Regex PartialName(string name) => new($"^\\.{Regex.Escape(name)}\\.partial-[0-9]+-[0-9a-f]{{32}}$");

    internal static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover is hidden, named as such, and removed by the next write.
        }
    }
}
