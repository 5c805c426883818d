namespace Lexicon.Kernels;

/// <summary>The scalars of one Adam update, bias corrections folded in on the host so every backend applies the
/// same formula: m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= lr·(m / c1) / (sqrt(v / c2) + ε).</summary>
public readonly record struct AdamStep(float LearningRate, float Beta1, float Beta2, float Epsilon, float Correction1, float Correction2)
{
    public static AdamStep At(long step, float learningRate, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), "Adam steps count from 1");
        return new AdamStep(learningRate, beta1, beta2, epsilon,
            (float)(1 - Math.Pow(beta1, step)), (float)(1 - Math.Pow(beta2, step)));
    }
}
