using ILGPU;
using ILGPU.Algorithms;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The grid-stride loop over the (touched row, column) pairs that <see cref="TouchedRows"/> listed, one per thread: the
/// count stays on the device, so the launch covers the most rows there can be and the loop reads how many there are.
/// <c>var loop = TouchedStride.Columns(touched, touchedCount, d); while (loop.Next(out long e, out int row, out int i)) …</c>
/// </summary>
internal struct TouchedStride
{
    private GridStride _loop;
    private readonly ArrayView<int> _touched;
    private readonly int _d;

    private TouchedStride(GridStride loop, ArrayView<int> touched, int d) => (_loop, _touched, _d) = (loop, touched, d);

    public static TouchedStride Columns(ArrayView<int> touched, ArrayView<int> touchedCount, int d) =>
        new(GridStride.Threads(XMath.Min(touchedCount[0], touched.Length) * d), touched, d);

    /// <summary>The next pair: <paramref name="e"/> its place in the touched rows' gradients, <paramref name="row"/> the
    /// touched row, <paramref name="column"/> the column; false when there is none.</summary>
    public bool Next(out long e, out int row, out int column)
    {
        bool more = _loop.Next(out e);
        row = more ? _touched[e / _d] : 0;
        column = (int)(e % _d);
        return more;
    }
}
