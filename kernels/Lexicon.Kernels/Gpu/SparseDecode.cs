using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>output[b] = bias + Σ_j value[b, j] · w[index[b, j]]: one group per token, threads across the model
/// dimension (coalesced row gathers), each output summed in fp32 in slot order.</summary>
internal sealed class SparseDecode(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<float>, int, int, ArrayView<float>, ArrayView<float>, int, ArrayView<float>, int> _kernel =
        accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<float>, int, int, ArrayView<float>, ArrayView<float>, int, ArrayView<float>, int>(Kernel);

    /// <param name="bias">Read only when <paramref name="hasBias"/>.</param>
    public void Run(ArrayView<int> index, ArrayView<float> value, int rows, int k, ArrayView<float> w, ArrayView<float> bias, bool hasBias,
        ArrayView<float> output, int d) =>
        _kernel(launch.PerItem(rows), index, value, rows, k, w, bias, hasBias ? 1 : 0, output, d);

    private static void Kernel(ArrayView<int> index, ArrayView<float> value, int rows, int k, ArrayView<float> w, ArrayView<float> bias,
        int hasBias, ArrayView<float> output, int d)
    {
        for (int b = GroupStride.First(); b < rows; b += GroupStride.Step())
        {
            long slots = (long)b * k;
            for (int i = Group.IdxX; i < d; i += Group.DimX)
            {
                float sum = hasBias != 0 ? bias[i] : 0f;
                for (int j = 0; j < k; j++)
                {
                    int m = index[slots + j];
                    if (m >= 0) sum += value[slots + j] * w[(long)m * d + i];
                }
                output[(long)b * d + i] = sum;
            }
        }
    }
}
