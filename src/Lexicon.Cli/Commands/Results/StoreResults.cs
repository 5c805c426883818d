namespace Lexicon.Cli.Commands.Results;

/// <summary>synth --json: the planted world written.</summary>
public sealed record SynthResult(string Out, long Tokens, int Layers, int DModel, int VocabSize, long HeldoutTokens, double Seconds);

/// <summary>extract --json: the MiniLM store written, and how fast.</summary>
public sealed record ExtractionResult(string Out, string Source, string? Model, long Tokens, int Sequences, int[] Layers, int DModel, int VocabSize,
    int[] SpecialTokenIds, int HeldoutSequences, long HeldoutTokens, double LoadSeconds, double Seconds, double TokensPerS, double ExtractTokensPerS);

/// <summary>ngrams --json: per layer, the variance shares n-gram tables explain on held-out rows.</summary>
public sealed record NgramsResult(string Split, string Estimator, IReadOnlyList<NgramsLayer> Layers);

/// <summary>κ per order, "inf" where infinite (JSON has no infinity).</summary>
public sealed record NgramsLayer(int Layer, double Unigram, double Bigram, double Trigram, object[] Kappa, long TrainTokens, long HeldOutTokens);
