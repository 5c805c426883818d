using ILGPU;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The grid-stride loop over items handed to whole groups (rows, latents): every thread of a group sees the same item,
/// so the loop body may hold barriers. 32-bit, as the counts it walks are. <c>var loop = GroupStride.Groups(rows);
/// while (loop.Next(out int b)) …</c>
/// </summary>
internal struct GroupStride
{
    private readonly int _step, _end;
    private int _next;

    private GroupStride(int first, int step, int end) => (_next, _step, _end) = (first, step, end);

    /// <summary>Items [0, items) in runs of <paramref name="perGroup"/>, one run per group at a time; the item is the run's
    /// first.</summary>
    public static GroupStride Groups(int items, int perGroup = 1) => new(Grid.IdxX * perGroup, Grid.DimX * perGroup, items);

    /// <summary>The next item, or false when there is none.</summary>
    public bool Next(out int item)
    {
        item = _next;
        _next += _step;
        return item < _end;
    }
}
