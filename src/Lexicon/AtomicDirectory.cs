namespace Lexicon;

/// <summary>
/// Writes a directory as a whole or not at all: content goes into a sibling temporary directory, which then replaces
/// the target by two renames (target → target.old, temporary → target) and the old one is deleted. A crash before
/// the renames leaves the old target untouched; a crash between them leaves target.old, which
/// <see cref="Resolve"/> finds.
/// </summary>
public static class AtomicDirectory
{
    /// <summary>Runs write(tempDirectory) and then swaps the result in. If write throws, nothing at target changes.</summary>
    public static void Write(string target, Action<string> write)
    {
        target = Path.GetFullPath(target.TrimEnd(Path.DirectorySeparatorChar));
        string parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        string temp = Path.Combine(parent, $".{Path.GetFileName(target)}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            write(temp);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        string old = target + ".old";
        TryDelete(old);
        if (Directory.Exists(target)) Directory.Move(target, old);
        Directory.Move(temp, target);
        TryDelete(old);
    }

    /// <summary>The directory to read: target, or target.old when a swap was interrupted between its two renames.</summary>
    public static string Resolve(string target)
    {
        target = target.TrimEnd(Path.DirectorySeparatorChar);
        return !Directory.Exists(target) && Directory.Exists(target + ".old") ? target + ".old" : target;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary directory is harmless and named as such.
        }
    }
}
