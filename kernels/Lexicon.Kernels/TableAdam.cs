namespace Lexicon.Kernels;

/// <summary>
/// Settings of the tables' lazy Adam: table t owns rows [TableRowEnds[t-1], TableRowEnds[t]) and learns at
/// LearningRates[t]. Bias corrections come from each row's own step count, not the global step: a row touched for the
/// n-th time is corrected by 1 − β^n, as if it had its own Adam (a global count would let a rarely touched row, whose
/// second moment has only a few small terms, take steps several times the learning rate).
/// </summary>
public readonly record struct TableAdam(int[] TableRowEnds, float[] LearningRates, float Beta1 = 0.9f, float Beta2 = 0.999f, float Epsilon = 1e-8f)
{
    /// <summary>The learning rate of the table that owns row r.</summary>
    public float LearningRateOf(int row)
    {
        for (int t = 0; t < TableRowEnds.Length; t++)
            if (row < TableRowEnds[t]) return LearningRates[t];
        throw new ArgumentOutOfRangeException(nameof(row), $"row {row} is past the last table");
    }
}
