using ILGPU;
using ILGPU.Algorithms;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The grid-stride loop over elements, its indexing written once: each thread of the grid (launched by
/// <see cref="Launch"/>) takes one element at a time, from ILGPU's Grid.GlobalIndex in steps of GridExtensions' grid
/// stride, with 64-bit indices (views may exceed 2³¹ elements):
/// <c>for (long i = GridStride.First; i &lt; n; i += GridStride.Step) …</c>
/// <para>Always as a <c>for</c> loop, never behind an iterator's <c>Next</c>: ILGPU 1.5.3's PTX and OpenCL code
/// generators place a loop's phi copies at the end of a block even when it ends in a conditional branch whose other
/// target still reads the old value. With the step taken inside the loop's condition, every conditional tail of the
/// body (an <c>if</c>, a <c>continue</c>) branches straight back to it, and the body's last part then reads the next
/// element's index — wrong results and stores past the end on CUDA and OpenCL, while ILGPU's CPU accelerator, which
/// runs the IL, is right. A <c>for</c> loop's step is a block of its own. <c>PtxLoopCopyTests</c> checks every kernel's
/// PTX for the pattern.</para>
/// Loops that hand whole groups their items use <see cref="GroupStride"/>.
/// </summary>
internal static class GridStride
{
    /// <summary>This thread's first element.</summary>
    public static long First => Grid.GlobalIndex.X;

    /// <summary>Threads in the grid: the distance to this thread's next element.</summary>
    public static long Step => GridExtensions.GridStrideLoopStride;
}
