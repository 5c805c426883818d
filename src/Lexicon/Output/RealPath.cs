namespace Lexicon.Output;

/// <summary>Paths compared as the file system sees them: symbolic links followed, so an output named through a link
/// is still caught lying inside (or holding) an input.</summary>
public static class RealPath
{
    /// <summary>The path with every link among its existing components resolved; components that do not exist yet are
    /// kept as written.</summary>
    public static string Of(string fullPath)
    {
        string root = Path.GetPathRoot(fullPath) ?? "/";
        string current = root;
        var parts = fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            string next = Path.Combine(current, parts[i]);
            FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
            if (!info.Exists) return Path.Combine([current, .. parts[i..]]);
            try
            {
                current = info.LinkTarget is null ? next : Path.TrimEndingDirectorySeparator(info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? next);
            }
            catch (IOException)
            {
                current = next; // a link loop: compare it as written
            }
        }
        return current;
    }

    /// <summary>Whether <paramref name="path"/> lies strictly inside <paramref name="directory"/> (both real, full).</summary>
    public static bool IsInside(string path, string directory)
    {
        string prefix = directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }
}
