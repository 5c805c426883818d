using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>xc[b] = x[b] − bDec: a grid-stride loop, one element per thread per step.</summary>
internal sealed class Center(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, int> _kernel =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, int>(Kernel);

    public void Run(ArrayView<float> x, ArrayView<float> bDec, ArrayView<float> xc, int d) =>
        _kernel(launch.Elementwise(xc.Length), x, bDec, xc, d);

    private static void Kernel(ArrayView<float> x, ArrayView<float> bDec, ArrayView<float> xc, int d)
    {
        for (long i = GridStride.First; i < xc.Length; i += GridStride.Step) xc[i] = x[i] - bDec[(int)(i % d)];
    }
}
