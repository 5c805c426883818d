using ILGPU;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The grid-stride loop over items handed to segments of lanes (<see cref="Launch.Segment"/>), several segments per
/// group, launched by <see cref="Launch.Segments"/>. Every thread of a group takes every pass, so the body may call
/// <see cref="SegmentSum"/>; a thread whose item is past the end gets it anyway and must only skip its loads and stores.
/// <c>var loop = SegmentStride.Items(rows, segment); while (loop.Next(out int b)) { if (b &lt; rows) for (int i =
/// loop.Lane; i &lt; d; i += segment) … }</c>
/// </summary>
internal struct SegmentStride
{
    private GroupStride _groups;
    private readonly int _segmentOfThread;

    /// <summary>This thread's lane within its segment: the first element it takes, stepping by the segment.</summary>
    public readonly int Lane;

    private SegmentStride(GroupStride groups, int segmentOfThread, int lane) => (_groups, _segmentOfThread, Lane) = (groups, segmentOfThread, lane);

    /// <summary>Items [0, items), one per segment of <paramref name="segment"/> lanes at a time.</summary>
    public static SegmentStride Items(int items, int segment) =>
        new(GroupStride.Groups(items, Group.DimX / segment), Group.IdxX / segment, Group.IdxX % segment);

    /// <summary>This segment's next item (possibly ≥ the count, see above), or false when the group has none left.</summary>
    public bool Next(out int item)
    {
        bool more = _groups.Next(out int first);
        item = first + _segmentOfThread;
        return more;
    }
}
