using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>Table rows for each token's key, one (token, slot) per thread: exact tables index by the token, hashed
/// tables take <see cref="TableHash"/>'s own Start/Step/Finish (64-bit integer math), so every backend picks the same
/// rows for a key.</summary>
internal sealed class TableRows(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<int>, int, int, int, int, int, uint, ArrayView<int>, int, int> _kernel =
        accelerator.LoadStreamKernel<ArrayView<int>, int, int, int, int, int, uint, ArrayView<int>, int, int>(Kernel);

    public void Run(ArrayView<int> keys, int rows, int keyLength, int hashes, int tableRows, int rowOffset, uint seed,
        ArrayView<int> output, int stride, int column) =>
        _kernel(launch.Elementwise((long)rows * hashes), keys, rows, keyLength, hashes, tableRows, rowOffset, seed, output, stride, column);

    private static void Kernel(ArrayView<int> keys, int rows, int keyLength, int hashes, int tableRows, int rowOffset, uint seed,
        ArrayView<int> output, int stride, int column)
    {
        for (long e = GridStride.First; e < (long)rows * hashes; e += GridStride.Step)
        {
            long b = e / hashes, key = b * keyLength;
            int slot = (int)(e % hashes), row = -1;
            bool valid = true;
            for (int j = 0; j < keyLength; j++)
                if (keys[key + j] == -1) valid = false;
            if (valid && hashes == 1) row = rowOffset + keys[key];
            else if (valid)
            {
                ulong h = TableHash.Start(seed, slot);
                for (int j = 0; j < keyLength; j++) h = TableHash.Step(h, keys[key + j]);
                row = rowOffset + (int)(TableHash.Finish(h) % (ulong)tableRows);
            }
            output[b * stride + column + slot] = row;
        }
    }
}
