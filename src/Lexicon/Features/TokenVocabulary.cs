namespace Lexicon.Features;

/// <summary>
/// How a store's token ids read as text. The engine cannot decode a tokenizer's vocabulary itself (Lexicon.Models holds
/// MiniLM's), so the caller passes a token's piece; pieces join WordPiece-style: one starting with "##" continues the
/// word before it, any other starts a new one (after a space).
/// </summary>
/// <param name="Kind">What the pieces are, for the site's pages ("WordPiece (all-MiniLM-L6-v2)", "token ids").</param>
public sealed record TokenVocabulary(string Kind, Func<int, string> Piece)
{
    /// <summary>A store without a tokenizer: ids as "#123".</summary>
    public static TokenVocabulary Ids { get; } = new("token ids (the store has no tokenizer)", id => $"#{id}");

    /// <summary>A token's text as it reads inside running text: with its leading space, or glued to the previous piece.</summary>
    public string Display(int id, bool first)
    {
        string piece = Piece(id);
        if (IsContinuation(piece)) return piece[2..];
        return first ? piece : " " + piece;
    }

    /// <summary>A token's text on its own (a continuation piece keeps its "##").</summary>
    public string Alone(int id) => Piece(id);

    private static bool IsContinuation(string piece) => piece.Length > 2 && piece.StartsWith("##", StringComparison.Ordinal);
}
