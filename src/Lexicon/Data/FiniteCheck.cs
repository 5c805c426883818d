using System.Numerics.Tensors;

namespace Lexicon.Data;

/// <summary>Rejects activations that are NaN or infinite: one would poison every weight it touches.</summary>
public static class FiniteCheck
{
    public static void Rows(ReadOnlySpan<float> rows, int d, long firstRow, string file)
    {
        // x·0 is 0 for finite x and NaN for NaN or ±Inf, so one SIMD sum detects both.
        if (float.IsFinite(TensorPrimitives.Sum(rows) * 0 + TensorPrimitives.SumOfSquares(rows) * 0)) return;
        for (int i = 0; i < rows.Length; i++)
            if (!float.IsFinite(rows[i]))
                throw new BadInputException(file, $"{(float.IsNaN(rows[i]) ? "NaN" : "infinite")} activation at row {firstRow + i / d}, column {i % d}");
    }
}
