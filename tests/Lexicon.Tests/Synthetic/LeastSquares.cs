namespace Lexicon.Tests.Synthetic;

/// <summary>Least-squares fit of vectors by a few basis rows (normal equations solved by Cholesky, in double).</summary>
internal sealed class LeastSquares
{
    private readonly double[][] _basis;
    private readonly double[,] _cholesky;

    /// <param name="basis">Linearly independent rows, each of the target's length.</param>
    public LeastSquares(double[][] basis)
    {
        _basis = basis;
        int k = basis.Length;
        _cholesky = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = Dot(basis[i], basis[j]);
                for (int m = 0; m < j; m++) sum -= _cholesky[i, m] * _cholesky[j, m];
                _cholesky[i, j] = i == j ? Math.Sqrt(sum) : sum / _cholesky[j, j];
            }
        }
    }

    /// <summary>The coefficients c minimising ‖target − Σ c_i basis_i‖, and that minimum.</summary>
    public double[] Fit(ReadOnlySpan<double> target, out double residualNorm)
    {
        int k = _basis.Length;
        var c = new double[k];
        for (int i = 0; i < k; i++)
        {
            double sum = Dot(_basis[i], target);
            for (int m = 0; m < i; m++) sum -= _cholesky[i, m] * c[m];
            c[i] = sum / _cholesky[i, i];
        }
        for (int i = k - 1; i >= 0; i--)
        {
            double sum = c[i];
            for (int m = i + 1; m < k; m++) sum -= _cholesky[m, i] * c[m];
            c[i] = sum / _cholesky[i, i];
        }

        double squares = 0;
        for (int j = 0; j < target.Length; j++)
        {
            double r = target[j];
            for (int i = 0; i < k; i++) r -= c[i] * _basis[i][j];
            squares += r * r;
        }
        residualNorm = Math.Sqrt(squares);
        return c;
    }

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
