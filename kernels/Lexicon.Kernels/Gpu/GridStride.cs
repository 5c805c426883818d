using ILGPU;
using ILGPU.Algorithms;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The grid-stride loop over elements, written once: each thread of the grid (launched by <see cref="Launch"/>) takes
/// one element at a time, from ILGPU's Grid.GlobalIndex in steps of GridExtensions' grid stride, with 64-bit indices
/// (views may exceed 2³¹ elements). <c>var loop = GridStride.Threads(n); while (loop.Next(out long i)) …</c>
/// Loops that hand whole groups their items use <see cref="GroupStride"/>.
/// </summary>
internal struct GridStride
{
    private readonly long _step, _end;
    private long _next;

    private GridStride(long first, long step, long end) => (_next, _step, _end) = (first, step, end);

    /// <summary>Elements [0, items), one per thread of the grid at a time.</summary>
    public static GridStride Threads(long items) => new(Grid.GlobalIndex.X, GridExtensions.GridStrideLoopStride, items);

    /// <summary>The next element, or false when there is none.</summary>
    public bool Next(out long item)
    {
        item = _next;
        _next += _step;
        return item < _end;
    }
}
