using System.Runtime.CompilerServices;
using ILGPU;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// Deterministic sums across threads: the group is cut into segments of a power-of-two number of consecutive threads
/// and each segment's values are added in a fixed tree order in shared memory. (ILGPU.Algorithms' group reduce adds
/// floats with atomics on its CPU accelerator, so its result would depend on thread timing.)
/// </summary>
internal static class SegmentSum
{
    /// <summary>The sum of <paramref name="value"/> over the calling thread's segment, returned to every thread of it.
    /// Every thread of the group must call it (it holds barriers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Of(float value, int segment)
    {
        var partial = SharedMemory.Allocate<float>(Launch.MaxGroupSize);
        int thread = Group.IdxX, lane = thread & (segment - 1);
        partial[thread] = value;
        Group.Barrier();
        for (int half = segment / 2; half > 0; half /= 2)
        {
            if (lane < half) partial[thread] += partial[thread + half];
            Group.Barrier();
        }
        float sum = partial[thread - lane];
        Group.Barrier(); // the next call overwrites partial
        return sum;
    }
}
