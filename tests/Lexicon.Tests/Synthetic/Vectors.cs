namespace Lexicon.Tests.Synthetic;

/// <summary>Row arithmetic on flattened [rows, d] float tables, in double.</summary>
internal static class Vectors
{
    public static ReadOnlySpan<float> Row(float[] table, int row, int d) => table.AsSpan(row * d, d);

    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (double)a[i] * b[i];
        return sum;
    }

    public static double Norm(ReadOnlySpan<float> a) => Math.Sqrt(Dot(a, a));

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Dot(a, b) / (Norm(a) * Norm(b));

    public static double[] ToDouble(ReadOnlySpan<float> a)
    {
        var result = new double[a.Length];
        for (int i = 0; i < a.Length; i++) result[i] = a[i];
        return result;
    }
}
