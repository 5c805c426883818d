using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// AuxK selection: per row, the k largest pre-activations among masked (dead) latents. The mask is compacted to a
/// list once per call, so a row costs one gather per dead latent instead of a scan of all latents.
/// </summary>
public static unsafe class MaskedTopK
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(float* pre, int* mask, int rows, int latents, int k, int* index, float* value)
    {
        var candidates = new int[latents];
        int count = 0;
        for (int m = 0; m < latents; m++)
            if (mask[m] != 0) candidates[count++] = m;
        CpuParallel.For(rows, 8, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            var heap = new Heap(k);
            for (int b = b0; b < b1; b++)
            {
                float* row = pre + (long)b * latents;
                heap.Clear();
                int c = 0;
                for (; c < Math.Min(k, count); c++) heap.Push(row[candidates[c]], candidates[c]);
                for (; c < count; c++)
                {
                    int m = candidates[c];
                    if (row[m] > heap.MinValue) heap.ReplaceMin(row[m], m);
                }
                heap.WriteSorted(index + (long)b * k, value + (long)b * k);
            }
        });
    }
}
