namespace Lexicon.Training;

/// <summary>The geometric median of a sample of rows (Weiszfeld's iteration from the mean): where b_dec starts, so the
/// encoder sees inputs centred robustly (the mean is pulled by the few very large activations real models have).</summary>
public static class GeometricMedian
{
    public static float[] Compute(ReadOnlySpan<float> rows, int d, int maxIterations = 100, double tolerance = 1e-6)
    {
        int n = rows.Length / d;
        var median = Mean(rows, d);
        var next = new double[d];
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Array.Clear(next);
            double weightSum = 0;
            for (int r = 0; r < n; r++)
            {
                var row = rows.Slice(r * d, d);
                double distance = 0;
                for (int i = 0; i < d; i++) distance += (row[i] - median[i]) * (row[i] - median[i]);
                double weight = 1 / Math.Max(Math.Sqrt(distance), 1e-12);
                weightSum += weight;
                for (int i = 0; i < d; i++) next[i] += weight * row[i];
            }
            double shift = 0;
            for (int i = 0; i < d; i++)
            {
                double value = next[i] / weightSum;
                shift += (value - median[i]) * (value - median[i]);
                median[i] = value;
            }
            if (Math.Sqrt(shift) < tolerance * (1 + Norm(median))) break;
        }
        return Array.ConvertAll(median, v => (float)v);
    }

    public static double[] Mean(ReadOnlySpan<float> rows, int d)
    {
        int n = rows.Length / d;
        var mean = new double[d];
        for (int r = 0; r < n; r++)
            for (int i = 0; i < d; i++) mean[i] += rows[r * d + i];
        for (int i = 0; i < d; i++) mean[i] /= Math.Max(1, n);
        return mean;
    }

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));
}
