namespace Lexicon.Kernels.Reference;

/// <summary>Adam applied to the touched rows only.</summary>
public static class SparseAdam
{
    public static void Run(double[] table, double[] moment1, double[] moment2, int[] touched, double[] rowGrads, int d, in AdamStep step)
    {
        for (int u = 0; u < touched.Length; u++)
        {
            long row = touched[u];
            for (int i = 0; i < d; i++)
            {
                long p = row * d + i;
                double g = rowGrads[u * d + i];
                moment1[p] = step.Beta1 * moment1[p] + (1 - (double)step.Beta1) * g;
                moment2[p] = step.Beta2 * moment2[p] + (1 - (double)step.Beta2) * g * g;
                table[p] -= step.LearningRate * (moment1[p] / step.Correction1) / (Math.Sqrt(moment2[p] / step.Correction2) + step.Epsilon);
            }
        }
    }
}
