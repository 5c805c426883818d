namespace Lexicon.Kernels.Reference;

/// <summary>One Adam update, the formula of <see cref="AdamStep"/>.</summary>
public static class Adam
{
    public static void Run(double[] param, double[] grad, double[] moment1, double[] moment2, in AdamStep step)
    {
        for (int i = 0; i < param.Length; i++)
        {
            moment1[i] = step.Beta1 * moment1[i] + (1 - (double)step.Beta1) * grad[i];
            moment2[i] = step.Beta2 * moment2[i] + (1 - (double)step.Beta2) * grad[i] * grad[i];
            double mHat = moment1[i] / step.Correction1;
            double vHat = moment2[i] / step.Correction2;
            param[i] -= step.LearningRate * mHat / (Math.Sqrt(vHat) + step.Epsilon);
        }
    }
}
