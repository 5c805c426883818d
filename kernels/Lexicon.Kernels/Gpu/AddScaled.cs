using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>y += alpha·x: a grid-stride loop, one element per thread per step.</summary>
internal sealed class AddScaled(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<float>, float, ArrayView<float>> _kernel =
        accelerator.LoadStreamKernel<ArrayView<float>, float, ArrayView<float>>(Kernel);

    public void Run(ArrayView<float> x, float alpha, ArrayView<float> y) => _kernel(launch.Elementwise(y.Length), x, alpha, y);

    private static void Kernel(ArrayView<float> x, float alpha, ArrayView<float> y)
    {
        for (long i = GridStride.First; i < y.Length; i += GridStride.Step) y[i] += alpha * x[i];
    }
}
