namespace Lexicon.Benchmarks;

/// <summary>A standard benchmark shape (DESIGN.md §8).</summary>
public sealed record Workload(string Name, int D, int Latents, int K, int Batch, int Vocab, string Represents)
{
    public static readonly Workload W1 = new("W1", 768, 16384, 32, 4096, 50257, "GPT-2-small-sized SAE");
    public static readonly Workload W2 = new("W2", 384, 6144, 32, 4096, 30522, "MiniLM-sized SAE (the embedded model)");

    public static Workload Parse(string name) => name.ToUpperInvariant() switch
    {
        "W1" => W1,
        "W2" => W2,
        _ => throw new BadInputException($"--workload must be W1 or W2, got '{name}'"),
    };

    /// <summary>FLOPs of the step's one dense term, 2·B·d·M: the roofline's numerator.</summary>
    public double GemmFlops => 2.0 * Batch * D * Latents;
}
