namespace Lexicon.Model;

/// <summary>The size of an SAE: model width d and number of own latents M.</summary>
public readonly record struct SaeShape(int D, int Latents)
{
    public long WeightCount => (long)D * Latents;
}
