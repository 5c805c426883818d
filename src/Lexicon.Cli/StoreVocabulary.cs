using Lexicon.Data;
using Lexicon.Features;
using Lexicon.Models;

namespace Lexicon.Cli;

/// <summary>How a store's token ids read: through MiniLM's WordPiece vocabulary for a store extracted from it (its
/// manifest names the model and the vocabulary's size), else as ids (a synthetic store has no tokenizer).</summary>
public static class StoreVocabulary
{
    public static TokenVocabulary For(StoreManifest manifest)
    {
        if (manifest.Model != MiniLm.ModelName) return TokenVocabulary.Ids;
        var tokenizer = MiniLmTokenizer.Create();
        return tokenizer.VocabularySize == manifest.VocabSize
            ? new TokenVocabulary($"WordPiece pieces of {MiniLm.ModelName}'s vocabulary", tokenizer.TokenText)
            : TokenVocabulary.Ids;
    }
}
