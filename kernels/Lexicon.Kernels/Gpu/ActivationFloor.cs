using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>value[i] = value[i] ≥ floor ? value[i] : 0: a grid-stride loop, one element per thread per step.</summary>
internal sealed class ActivationFloor(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<float>, float> _kernel =
        accelerator.LoadStreamKernel<ArrayView<float>, float>(Kernel);

    public void Run(ArrayView<float> value, float floor) => _kernel(launch.Elementwise(value.Length), value, floor);

    private static void Kernel(ArrayView<float> value, float floor)
    {
        for (long i = GridStride.First; i < value.Length; i += GridStride.Step)
        {
            float v = value[i];
            // A select rather than a branch on !(v ≥ floor): the branch crashed PoCL 6 compiling the kernel.
            value[i] = v >= floor ? v : 0f;
        }
    }
}
