using System.Text;

namespace Lexicon.Data.Formats;

/// <summary>Quotes text taken from a file for an error message: one line, bounded length, whatever the file holds.</summary>
internal static class Quoting
{
    private const int MaxChars = 80;

    public static string Quote(string text)
    {
        var quoted = new StringBuilder(Math.Min(text.Length, MaxChars) + 3);
        quoted.Append('\'');
        foreach (char c in text.Length > MaxChars ? text.AsSpan(0, MaxChars) : text)
            quoted.Append(char.IsControl(c) || char.IsSurrogate(c) ? '?' : c);
        if (text.Length > MaxChars)
            quoted.Append("...");
        quoted.Append('\'');
        return quoted.ToString();
    }
}
