namespace Lexicon.Synthetic;

/// <summary>Random unit vectors and the per-layer drift rule of §6: next = normalize(previous + drift·g/√d).
/// Sums are taken in double so the stored float rows are unit to float rounding, and in a fixed order (no SIMD
/// reduction) so the numbers do not depend on the machine's vector width.</summary>
internal static class UnitVectors
{
    /// <summary>Fills <paramref name="row"/> with a uniformly random direction.</summary>
    public static void Random(Rng rng, Span<float> row) => Drift(rng, ReadOnlySpan<float>.Empty, row, drift: 1);

    /// <summary>Writes normalize(previous + drift·g/√d) into <paramref name="next"/>; an empty previous counts as 0.</summary>
    public static void Drift(Rng rng, ReadOnlySpan<float> previous, Span<float> next, double drift)
    {
        int d = next.Length;
        double scale = drift / Math.Sqrt(d);
        Span<double> sum = d <= 1024 ? stackalloc double[d] : new double[d];
        double squares = 0;
        for (int i = 0; i < d; i++)
        {
            sum[i] = (previous.IsEmpty ? 0 : previous[i]) + scale * rng.NextGaussian();
            squares += sum[i] * sum[i];
        }
        double norm = Math.Sqrt(squares);
        for (int i = 0; i < d; i++)
            next[i] = (float)(sum[i] / norm);
    }

    /// <summary>Every row of a [rows, d] table drifted once; a fresh table.</summary>
    public static float[] DriftTable(Rng rng, float[] previous, int d, double drift)
    {
        var next = new float[previous.Length];
        for (int start = 0; start < previous.Length; start += d)
            Drift(rng, previous.AsSpan(start, d), next.AsSpan(start, d), drift);
        return next;
    }

    /// <summary>A [rows, d] table of random unit rows.</summary>
    public static float[] RandomTable(Rng rng, int rows, int d)
    {
        var table = new float[rows * d];
        for (int start = 0; start < table.Length; start += d)
            Random(rng, table.AsSpan(start, d));
        return table;
    }
}
