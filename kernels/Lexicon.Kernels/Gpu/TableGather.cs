using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>output[b] = Σ_s table[rowIndex[b, s]]: one output element per thread (d is often small, so a group per
/// token would leave most of its threads idle), its slots summed in slot order.</summary>
internal sealed class TableGather(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<int>, int, ArrayView<float>, int, ArrayView<float>> _kernel =
        accelerator.LoadStreamKernel<ArrayView<int>, int, ArrayView<float>, int, ArrayView<float>>(Kernel);

    public void Run(ArrayView<int> rowIndex, int slots, ArrayView<float> table, int d, ArrayView<float> output) =>
        _kernel(launch.Elementwise(output.Length), rowIndex, slots, table, d, output);

    private static void Kernel(ArrayView<int> rowIndex, int slots, ArrayView<float> table, int d, ArrayView<float> output)
    {
        for (long e = GridStride.First; e < output.Length; e += GridStride.Step)
        {
            long first = e / d * slots;
            int i = (int)(e % d);
            float sum = 0;
            for (int s = 0; s < slots; s++)
            {
                int r = rowIndex[first + s];
                if (r >= 0) sum += table[(long)r * d + i];
            }
            output[e] = sum;
        }
    }
}
