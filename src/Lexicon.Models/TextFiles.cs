using System.Text;

namespace Lexicon.Models;

/// <summary>Plain-text input: the non-blank lines of each file in turn, read lazily as UTF-8. <see cref="Check"/> reads
/// every file first, so a missing or empty one is reported before any work, and one that is not valid UTF-8 or looks
/// like binary data is named in a warning (its text is still used, bad bytes replaced by U+FFFD).</summary>
public static class TextFiles
{
    /// <summary>Throws <see cref="BadInputException"/> naming the first file that is missing, unreadable or holds no
    /// text; returns a warning for each file that is not clean text.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) throw new BadInputException("--text", "names no file");
        var warnings = new List<string>();
        foreach (string path in paths)
        {
            if (string.IsNullOrWhiteSpace(path)) throw new BadInputException("--text", "names an empty path");
            if (Directory.Exists(path)) throw new BadInputException(path, "is a directory, not a text file");
            if (!File.Exists(path)) throw new BadInputException(path, "no such file");
            TextStats stats;
            try
            {
                stats = Scan(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new BadInputException(path, $"cannot be read ({e.Message})");
            }
            if (!stats.HasText) throw new BadInputException(path, "holds no text (empty or only whitespace)");
            if (stats.Replaced > 0)
                warnings.Add($"{path}: not valid UTF-8: {stats.Replaced:N0} byte sequence(s) replaced by U+FFFD");
            if (stats.LooksBinary)
                warnings.Add($"{path}: looks like binary data, not text ({stats.Control:N0} control characters in {stats.Characters:N0}); it is tokenized as it is");
        }
        return warnings;
    }

    public static IEnumerable<string> Lines(IReadOnlyList<string> paths) =>
        paths.SelectMany(File.ReadLines).Where(line => !string.IsNullOrWhiteSpace(line));

    private readonly record struct TextStats(bool HasText, long Characters, long Control, long Replaced)
    {
        /// <summary>Text has tabs and line ends, not NULs and other control characters (more than one in a hundred).</summary>
        public bool LooksBinary => Control > 0 && Control * 100 > Characters;
    }

    private static TextStats Scan(string path)
    {
        var fallback = new CountingFallback();
        var encoding = Encoding.GetEncoding("utf-8", EncoderFallback.ReplacementFallback, fallback);
        using var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: false);
        var buffer = new char[1 << 16];
        bool hasText = false;
        long characters = 0, control = 0;
        int read;
        while ((read = reader.Read(buffer)) > 0)
        {
            characters += read;
            foreach (char c in buffer.AsSpan(0, read))
            {
                if (!hasText && !char.IsWhiteSpace(c)) hasText = true;
                if (char.IsControl(c) && c is not ('\t' or '\n' or '\r' or '\f')) control++;
            }
        }
        return new TextStats(hasText, characters, control, fallback.Count);
    }

    /// <summary>Replaces an invalid byte sequence by U+FFFD, as the default decoder does, and counts it.</summary>
    private sealed class CountingFallback : DecoderFallback
    {
        public long Count;

        public override int MaxCharCount => 1;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

        private sealed class Buffer(CountingFallback owner) : DecoderFallbackBuffer
        {
            private int _left;

            public override int Remaining => _left;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                owner.Count++;
                _left = 1;
                return true;
            }

            public override char GetNextChar()
            {
                if (_left == 0) return '\0';
                _left--;
                return '\uFFFD';
            }

            public override bool MovePrevious()
            {
                if (_left > 0) return false;
                _left = 1;
                return true;
            }
        }
    }
}
