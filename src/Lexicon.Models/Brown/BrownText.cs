namespace Lexicon.Models.Brown;

/// <summary>What <see cref="BrownArchive.Convert"/> wrote: texts (documents), sentences (lines) and words.</summary>
public sealed record BrownText(int Texts, long Sentences, long Words);
