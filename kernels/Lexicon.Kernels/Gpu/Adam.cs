using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>One Adam update of every element (the formula of <see cref="AdamStep"/>, with the bias corrections folded
/// into the step size and the second moment's scale on the host, as the CPU backend does).</summary>
internal sealed class Adam(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float, float, float> _kernel =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, float, float, float, float>(Kernel);

    public void Run(ArrayView<float> param, ArrayView<float> grad, ArrayView<float> moment1, ArrayView<float> moment2, in AdamStep s) =>
        _kernel(launch.Elementwise(param.Length), param, grad, moment1, moment2,
            s.Beta1, s.Beta2, s.LearningRate / s.Correction1, 1 / s.Correction2, s.Epsilon);

    private static void Kernel(ArrayView<float> param, ArrayView<float> grad, ArrayView<float> moment1, ArrayView<float> moment2,
        float beta1, float beta2, float stepSize, float inverseCorrection2, float epsilon)
    {
        for (long i = GridStride.First; i < param.Length; i += GridStride.Step)
            Update(param, grad, moment1, moment2, i, beta1, beta2, stepSize, inverseCorrection2, epsilon);
    }

    /// <summary>Element i's update: shared with <see cref="DecoderAdam"/>, so the two compile to the same arithmetic.</summary>
    internal static void Update(ArrayView<float> param, ArrayView<float> grad, ArrayView<float> moment1, ArrayView<float> moment2, long i,
        float beta1, float beta2, float stepSize, float inverseCorrection2, float epsilon)
    {
        float g = grad[i];
        float m = beta1 * moment1[i] + (1 - beta1) * g;
        float v = beta2 * moment2[i] + (1 - beta2) * g * g;
        moment1[i] = m;
        moment2[i] = v;
        param[i] -= stepSize * m / (XMath.Sqrt(v * inverseCorrection2) + epsilon);
    }
}
