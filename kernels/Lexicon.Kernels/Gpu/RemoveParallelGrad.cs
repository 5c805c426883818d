using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>grad[m] −= (grad[m] · w[m]) w[m]: a segment of lanes per row (<see cref="Launch.Segment"/>), the dot
/// product added by <see cref="SegmentSum"/>, then each lane updates the elements it read.</summary>
internal sealed class RemoveParallelGrad(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, int, int, int> _kernel =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int, int, int>(Kernel);

    public void Run(ArrayView<float> w, ArrayView<float> grad, int rowCount, int d)
    {
        int segment = launch.Segment(d);
        _kernel(launch.Segments(rowCount, segment), w, grad, rowCount, d, segment);
    }

    private static void Kernel(ArrayView<float> w, ArrayView<float> grad, int rowCount, int d, int segment)
    {
        int lane = SegmentStride.Lane(segment);
        for (int first = SegmentStride.First(segment); first < rowCount; first += SegmentStride.Step(segment))
        {
            int m = first + SegmentStride.OfThread(segment);
            Row(w, grad, (long)m * d, m < rowCount, lane, d, segment);
        }
    }

    /// <summary>One row, by its segment (shared with <see cref="DecoderAdam"/>); every lane calls it, also where the
    /// segment has no row (<paramref name="valid"/> false), as the sum holds barriers.</summary>
    internal static void Row(ArrayView<float> w, ArrayView<float> grad, long row, bool valid, int lane, int d, int segment)
    {
        float partial = 0;
        if (valid)
            for (int i = lane; i < d; i += segment) partial += grad[row + i] * w[row + i];
        float dot = SegmentSum.Of(partial, segment);
        if (valid)
            for (int i = lane; i < d; i += segment) grad[row + i] -= dot * w[row + i];
    }
}
