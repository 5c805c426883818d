using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// Tokens since each latent last fired, the dead mask and the dead count. A first kernel marks the latents that fired
/// in the batch (every writer stores the same 1, so the races are harmless); a second, a single group, updates the
/// counters and counts the dead with an integer group reduction (exact, so the count cannot depend on order).
/// </summary>
internal sealed class UpdateDeadLatents(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<float>, ArrayView<int>> _mark =
        accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<float>, ArrayView<int>>(MarkFired);
    private readonly Action<KernelConfig, ArrayView<int>, int, int, ArrayView<int>, int, ArrayView<int>, ArrayView<int>> _update =
        accelerator.LoadStreamKernel<ArrayView<int>, int, int, ArrayView<int>, int, ArrayView<int>, ArrayView<int>>(Update);

    /// <param name="fired">Scratch of latents elements.</param>
    public void Run(ArrayView<int> index, ArrayView<float> value, int rows, int latents, ArrayView<int> sinceFired, int deadAfter,
        ArrayView<int> dead, ArrayView<int> deadCount, ArrayView<int> fired)
    {
        fired.MemSetToZero(accelerator.DefaultStream);
        _mark(launch.Elementwise(index.Length), index, value, fired);
        _update(new KernelConfig(1, launch.GroupSize), fired, latents, rows, sinceFired, deadAfter, dead, deadCount);
    }

    private static void MarkFired(ArrayView<int> index, ArrayView<float> value, ArrayView<int> fired)
    {
        for (long e = GridStride.First; e < index.Length; e += GridStride.Step)
            if (index[e] >= 0 && value[e] > 0) fired[index[e]] = 1;
    }

    private static void Update(ArrayView<int> fired, int latents, int rows, ArrayView<int> sinceFired, int deadAfter,
        ArrayView<int> dead, ArrayView<int> deadCount)
    {
        int count = 0;
        for (int m = Group.IdxX; m < latents; m += Group.DimX)
        {
            int since = fired[m] != 0 ? 0 : (int)XMath.Min((long)sinceFired[m] + rows, int.MaxValue);
            sinceFired[m] = since;
            dead[m] = since >= deadAfter ? 1 : 0;
            count += dead[m];
        }
        count = GroupExtensions.Reduce<int, AddInt32>(count);
        if (Group.IdxX == 0) deadCount[0] = count;
    }
}
