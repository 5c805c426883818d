namespace Lexicon.Benchmarks;

/// <summary>One output of a checked call: its largest error against the reference and the tolerance it must meet.</summary>
public sealed record OutputCheck(string Output, double Error, double Tolerance, string Where)
{
    public bool Passed => Error <= Tolerance;
}

/// <summary>
/// The check of a call's outputs against the float64 reference. fp32 outputs: the largest absolute difference over the
/// largest magnitude of the reference output (sums that cancel have no meaningful element-wise relative error) at most
/// <see cref="Fp32Tolerance"/>; selections and other integers: equal. Rows of a row-wise operation whose reference is
/// costly (the GEMM, the top-k's sort) are checked on a sample spread over the batch (<see cref="SampleRows"/>).
/// </summary>
public sealed class OpCheck
{
    public const double Fp32Tolerance = 1e-4;

    /// <summary>Reference work (inner-loop steps) a sampled check may spend: a second or so.</summary>
    private const double SampleBudget = 3e8;

    private readonly List<OutputCheck> _outputs = [];

    public IReadOnlyList<OutputCheck> Outputs => _outputs;

    public bool Passed => _outputs.All(o => o.Passed);

    public void Close(string output, double[] expected, float[] actual, double tolerance = Fp32Tolerance)
    {
        if (actual.Length < expected.Length) throw new ArgumentException($"{output}: {actual.Length} values, expected {expected.Length}");
        double scale = expected.Length == 0 ? 1 : Math.Max(expected.Max(Math.Abs), 1e-30), worst = 0;
        long at = -1;
        for (long i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(expected[i] - actual[i]) / scale;
            if (!(error <= worst)) (worst, at) = (double.IsNaN(error) ? double.PositiveInfinity : error, i);
        }
        _outputs.Add(new OutputCheck(output, worst, tolerance, at < 0 ? "" : $"[{at}]: expected {expected[at]:G9}, got {actual[at]:G9}"));
    }

    public void Equal(string output, int[] expected, int[] actual)
    {
        long mismatches = 0, first = -1;
        for (long i = 0; i < expected.Length; i++)
            if (i >= actual.Length || expected[i] != actual[i])
            {
                mismatches++;
                if (first < 0) first = i;
            }
        _outputs.Add(new OutputCheck(output, mismatches, 0,
            first < 0 ? "" : $"{mismatches} differ; [{first}]: expected {expected[first]}, got {(first < actual.Length ? actual[first] : "none")}"));
    }

    /// <summary>Rows 0, s, 2s, … and the last, s as small as the budget allows for a reference costing
    /// <paramref name="workPerRow"/> steps a row (every row when it is cheap).</summary>
    public static int[] SampleRows(int rows, double workPerRow)
    {
        int stride = (int)Math.Clamp(Math.Ceiling(rows * workPerRow / SampleBudget), 1, Math.Max(1, rows));
        return Enumerable.Range(0, (rows + stride - 1) / stride).Select(i => i * stride).Append(rows - 1).Where(b => b >= 0).Distinct().ToArray();
    }

    /// <summary>The given rows of a [*, width] matrix, packed.</summary>
    public static T[] Rows<T>(T[] matrix, int[] rows, int width)
    {
        var packed = new T[(long)rows.Length * width];
        for (int i = 0; i < rows.Length; i++) Array.Copy(matrix, (long)rows[i] * width, packed, (long)i * width, width);
        return packed;
    }
}
