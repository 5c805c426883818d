using System.Numerics;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// Per-row top-k without a sort of the row: a k-entry min-heap holds the best so far and its weakest value is a
/// threshold; the row is scanned 16 values at a time and only lanes above the threshold (rare once the heap is
/// warm) are looked at one by one. Scanning in latent order with a strict "greater than" keeps the lower latent on
/// ties. The k survivors are sorted at the end (k log k).
/// </summary>
public static unsafe class TopK
{
    public static void Run(float* pre, int rows, int latents, int k, int* index, float* value)
    {
        CpuParallel.For(rows, 8, (b0, b1) =>
        {
            var heap = new Heap(k);
            for (int b = b0; b < b1; b++)
            {
                SelectRow(pre + (long)b * latents, latents, ref heap);
                heap.WriteSorted(index + (long)b * k, value + (long)b * k);
            }
        });
    }

    private static void SelectRow(float* row, int latents, ref Heap heap)
    {
        int k = heap.Capacity;
        heap.Clear();
        for (int m = 0; m < k; m++) heap.Push(row[m], m);
        float threshold = heap.MinValue;
        int i = k;
        for (; i <= latents - 16; i += 16)
        {
            ulong above = Vector512.GreaterThan(Vector512.Load(row + i), Vector512.Create(threshold)).ExtractMostSignificantBits();
            while (above != 0)
            {
                int m = i + BitOperations.TrailingZeroCount(above);
                above &= above - 1;
                if (row[m] > threshold)
                {
                    heap.ReplaceMin(row[m], m);
                    threshold = heap.MinValue;
                }
            }
        }
        for (; i < latents; i++)
            if (row[i] > threshold)
            {
                heap.ReplaceMin(row[i], i);
                threshold = heap.MinValue;
            }
    }
}
