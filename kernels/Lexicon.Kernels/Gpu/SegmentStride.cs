using ILGPU;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The grid-stride loop over items handed to segments of lanes (<see cref="Launch.Segment"/>), several segments per
/// group, launched by <see cref="Launch.Segments"/>. The loop runs over each group's first item, so every thread of a
/// group takes every pass and the body may call <see cref="SegmentSum"/>; a thread whose item is past the end gets it
/// anyway and must only skip its loads and stores. As a <c>for</c> loop, for the reason <see cref="GridStride"/> gives:
/// <c>for (int first = SegmentStride.First(segment); first &lt; rows; first += SegmentStride.Step(segment)) { int b =
/// first + SegmentStride.OfThread(segment); if (b &lt; rows) for (int i = SegmentStride.Lane(segment); i &lt; d; i +=
/// segment) … }</c>
/// </summary>
internal static class SegmentStride
{
    /// <summary>The first item of this group's segments in the first pass.</summary>
    public static int First(int segment) => GroupStride.First(Group.DimX / segment);

    /// <summary>Items all segments of the grid take in one pass.</summary>
    public static int Step(int segment) => GroupStride.Step(Group.DimX / segment);

    /// <summary>This thread's segment within its group: its item's offset from the group's first.</summary>
    public static int OfThread(int segment) => Group.IdxX / segment;

    /// <summary>This thread's lane within its segment: the first element it takes, stepping by the segment.</summary>
    public static int Lane(int segment) => Group.IdxX % segment;
}
