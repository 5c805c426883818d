using Lexicon.Data;

namespace Lexicon.Models;

/// <summary>The store written and how long it took: <see cref="LoadSeconds"/> to load the model and tokenizer,
/// <see cref="Seconds"/> in all.</summary>
public sealed record ExtractResult(StoreManifest Manifest, int Sequences, double LoadSeconds, double Seconds)
{
    /// <summary>Tokens per second from start to end, model loading included.</summary>
    public double TokensPerSecond => Manifest.Tokens / Seconds;

    /// <summary>Tokens per second once the model is loaded: tokenizing, the forward passes and writing.</summary>
    public double ExtractTokensPerSecond => Manifest.Tokens / (Seconds - LoadSeconds);
}
