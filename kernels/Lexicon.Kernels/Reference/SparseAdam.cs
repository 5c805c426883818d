namespace Lexicon.Kernels.Reference;

/// <summary>Adam on the touched rows only, each row with its own step count and its table's learning rate.</summary>
public static class SparseAdam
{
    public static void Run(double[] table, double[] moment1, double[] moment2, int[] rowSteps, int[] touched, double[] rowGrads, int d, TableAdam s)
    {
        for (int u = 0; u < touched.Length; u++)
        {
            int row = touched[u];
            int n = ++rowSteps[row];
            double c1 = 1 - Math.Pow(s.Beta1, n), c2 = 1 - Math.Pow(s.Beta2, n), lr = s.LearningRateOf(row);
            for (int i = 0; i < d; i++)
            {
                long p = (long)row * d + i;
                double g = rowGrads[u * d + i];
                moment1[p] = s.Beta1 * moment1[p] + (1 - (double)s.Beta1) * g;
                moment2[p] = s.Beta2 * moment2[p] + (1 - (double)s.Beta2) * g * g;
                table[p] -= lr * (moment1[p] / c1) / (Math.Sqrt(moment2[p] / c2) + s.Epsilon);
            }
        }
    }
}
