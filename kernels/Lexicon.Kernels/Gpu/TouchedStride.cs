using ILGPU;
using ILGPU.Algorithms;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The (touched row, column) pairs that <see cref="TouchedRows"/> listed, walked by a grid-stride loop: the count stays
/// on the device, so the launch covers the most rows there can be and the loop reads how many there are.
/// <c>long n = TouchedStride.Entries(touched, touchedCount, d); for (long e = GridStride.First; e &lt; n; e +=
/// GridStride.Step) { int row = touched[e / d], column = (int)(e % d); … }</c> (e is the pair's place in the touched
/// rows' gradients).
/// </summary>
internal static class TouchedStride
{
    public static long Entries(ArrayView<int> touched, ArrayView<int> touchedCount, int d) => XMath.Min(touchedCount[0], touched.Length) * d;
}
