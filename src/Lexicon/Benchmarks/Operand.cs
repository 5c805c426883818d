using Lexicon.Kernels;

namespace Lexicon.Benchmarks;

/// <summary>An input or output of a benchmarked call: the host values it was uploaded with and its view on the backend.</summary>
public sealed class Operand<T>(T[] host, View<T> view) where T : unmanaged
{
    public T[] Host { get; } = host;
    public View<T> View { get; } = view;

    /// <summary>What the backend holds now.</summary>
    public T[] Read() => View.ToArray();

    public static implicit operator View<T>(Operand<T> operand) => operand.View;
}

public static class Operands
{
    /// <summary>The uploaded values in float64, for the reference.</summary>
    public static double[] Double(this Operand<float> operand) => Array.ConvertAll(operand.Host, v => (double)v);
}
