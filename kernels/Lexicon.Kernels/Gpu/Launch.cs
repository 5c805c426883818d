using System.Numerics;
using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The launch geometry every kernel of a backend shares. Groups are a power of two of at most
/// <see cref="MaxGroupSize"/> threads (256 on GPUs; ILGPU's CPU emulator allows 16, and there each barrier costs about
/// 12 µs per thread, so kernels keep their group size a runtime value rather than a constant). Kernels loop over their
/// items grid-stride, launched with at most <see cref="MaxGroups"/> groups: on GPUs and OpenCL that is one item per
/// thread (PoCL runs a group's threads one after another, and a grid-stride loop per thread would jump through memory);
/// the emulator gets a few groups per multiprocessor, since each group costs it a hand-off between OS threads.
/// </summary>
internal readonly record struct Launch(int GroupSize, int MaxGroups, int WarpSize)
{
    /// <summary>Bounded by the shared-memory reductions and the 256-bin radix histogram of top-k.</summary>
    public const int MaxGroupSize = 256;

    /// <summary>Largest lane count of a segmented reduction: a warp on NVIDIA hardware.</summary>
    public const int MaxSegment = 32;

    public static Launch For(Accelerator accelerator)
    {
        int groupSize = 1 << BitOperations.Log2((uint)Math.Min(MaxGroupSize, accelerator.MaxNumThreadsPerGroup));
        int maxGroups = accelerator.AcceleratorType == AcceleratorType.CPU
            ? Math.Max(1, accelerator.NumMultiprocessors) * Math.Max(1, accelerator.MaxNumThreadsPerMultiprocessor / groupSize) * 4
            : int.MaxValue / groupSize;
        return new Launch(groupSize, maxGroups, Math.Max(1, accelerator.WarpSize));
    }

    /// <summary>Groups for a grid-stride loop over <paramref name="items"/> items, each group taking
    /// <paramref name="perGroup"/> at a time.</summary>
    public int Groups(long items, int perGroup) => (int)Math.Clamp((items + perGroup - 1) / perGroup, 1, MaxGroups);

    /// <summary>A 1D grid-stride launch over <paramref name="items"/> items, one per thread.</summary>
    public KernelConfig Elementwise(long items) => new(Groups(items, GroupSize), GroupSize);

    /// <summary>A grid-stride launch with one group per item (a row, a latent).</summary>
    public KernelConfig PerItem(long items) => new(Groups(items, 1), GroupSize);

    /// <summary>A launch of <see cref="SegmentStride"/>: groups of whole segments of <paramref name="segment"/> lanes, one
    /// item per segment at a time.</summary>
    public KernelConfig Segments(long items, int segment) => new(Groups(items, GroupSize / segment), GroupSize);

    /// <summary>Lanes that share one dot product of <paramref name="length"/> elements: at least 4 elements per lane
    /// (fewer lanes, fewer reduction steps), at most a warp (coalesced loads).</summary>
    public int Segment(int length) =>
        Math.Min(Math.Min(GroupSize, MaxSegment), (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, (length + 3) / 4)));
}
