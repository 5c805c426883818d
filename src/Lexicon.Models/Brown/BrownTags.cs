namespace Lexicon.Models.Brown;

/// <summary>Turns a tagged Brown corpus sentence (<c>The/at Fulton/np-tl County/nn-tl</c>) back into text.</summary>
public static class BrownTags
{
    /// <summary>The words of a tagged line joined by spaces: each token's text before its last '/', with the corpus's
    /// typewriter quotes (`` and '') turned into plain double quotes, which the tokenizer knows.</summary>
    public static string Strip(string taggedLine)
    {
        var words = taggedLine.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < words.Length; i++)
        {
            int slash = words[i].LastIndexOf('/');
            string word = slash > 0 ? words[i][..slash] : words[i];
            words[i] = word is "``" or "''" ? "\"" : word;
        }
        return string.Join(' ', words);
    }
}
