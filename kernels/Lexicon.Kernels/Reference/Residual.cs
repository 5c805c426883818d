namespace Lexicon.Kernels.Reference;

/// <summary>residual = predicted − target; grad = gradScale · residual; rowError[b] = ‖residual[b]‖²,
/// rowTarget[b] = ‖target[b]‖² (rowTarget may be null).</summary>
public static class Residual
{
    public static void Run(double[] predicted, double[] target, int rows, int d, double gradScale,
        double[] residual, double[] grad, double[] rowError, double[]? rowTarget)
    {
        for (int b = 0; b < rows; b++)
        {
            double error = 0, norm = 0;
            for (int i = 0; i < d; i++)
            {
                double r = predicted[b * d + i] - target[b * d + i];
                residual[b * d + i] = r;
                grad[b * d + i] = gradScale * r;
                error += r * r;
                norm += target[b * d + i] * target[b * d + i];
            }
            rowError[b] = error;
            if (rowTarget is not null) rowTarget[b] = norm;
        }
    }
}
