namespace Lexicon.Models;

/// <summary>Plain-text input: the non-blank lines of each file in turn, read lazily. <see cref="Check"/> looks at every
/// file first, so a missing or empty one is reported before any work.</summary>
public static class TextFiles
{
    /// <summary>Throws <see cref="BadInputException"/> naming the first file that is missing, unreadable or holds no text.</summary>
    public static void Check(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) throw new BadInputException("--text", "names no file");
        foreach (string path in paths)
        {
            if (Directory.Exists(path)) throw new BadInputException(path, "is a directory, not a text file");
            if (!File.Exists(path)) throw new BadInputException(path, "no such file");
            try
            {
                if (!HasText(path)) throw new BadInputException(path, "holds no text (empty or only whitespace)");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BadInputException(path, $"cannot be read ({e.Message})");
            }
        }
    }

    public static IEnumerable<string> Lines(IReadOnlyList<string> paths) =>
        paths.SelectMany(File.ReadLines).Where(line => !string.IsNullOrWhiteSpace(line));

    /// <summary>Reads only as far as the first character that is not white space.</summary>
    private static bool HasText(string path)
    {
        using var reader = new StreamReader(path);
        int c;
        while ((c = reader.Read()) >= 0)
            if (!char.IsWhiteSpace((char)c)) return true;
        return false;
    }
}
