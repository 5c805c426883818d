using Lexicon.Data;

namespace Lexicon.Models;

/// <summary>The store written and how long it took: <see cref="LoadSeconds"/> to load the tokenizer and prepare the
/// model's graph, <see cref="Seconds"/> in all. The workers' ONNX Runtime sessions are made on their own threads as
/// extraction starts, so their set-up counts as extraction.</summary>
public sealed record ExtractResult(StoreManifest Manifest, int Sequences, double LoadSeconds, double Seconds)
{
    /// <summary>Tokens per second from start to end, model loading included.</summary>
    public double TokensPerSecond => Manifest.Tokens / Seconds;

    /// <summary>Tokens per second after <see cref="LoadSeconds"/>: the sessions' set-up, tokenizing, the forward passes
    /// and writing.</summary>
    public double ExtractTokensPerSecond => Manifest.Tokens / (Seconds - LoadSeconds);
}
