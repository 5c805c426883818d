using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>output[b] += Σ_j value[b, j] · pool[index[b, j]]: one output element per thread, the active features added
/// to it in slot order.</summary>
internal sealed class PoolDecode(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<float>, int, ArrayView<float>, int, ArrayView<float>> _kernel =
        accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<float>, int, ArrayView<float>, int, ArrayView<float>>(Kernel);

    public void Run(ArrayView<int> index, ArrayView<float> value, int active, ArrayView<float> pool, int d, ArrayView<float> output) =>
        _kernel(launch.Elementwise(output.Length), index, value, active, pool, d, output);

    private static void Kernel(ArrayView<int> index, ArrayView<float> value, int active, ArrayView<float> pool, int d, ArrayView<float> output)
    {
        for (long e = GridStride.First; e < output.Length; e += GridStride.Step)
        {
            long first = e / d * active;
            int i = (int)(e % d);
            float sum = output[e];
            for (int j = 0; j < active; j++)
            {
                int g = index[first + j];
                if (g >= 0) sum += value[first + j] * pool[(long)g * d + i];
            }
            output[e] = sum;
        }
    }
}
