using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>w[m] /= ‖w[m]‖, zero rows left alone: a segment of lanes per row, as in <see cref="RemoveParallelGrad"/>.</summary>
internal sealed class NormalizeRows(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<float>, int, int, int> _kernel =
        accelerator.LoadStreamKernel<ArrayView<float>, int, int, int>(Kernel);

    public void Run(ArrayView<float> w, int rowCount, int d)
    {
        int segment = launch.Segment(d);
        _kernel(launch.Segments(rowCount, segment), w, rowCount, d, segment);
    }

    private static void Kernel(ArrayView<float> w, int rowCount, int d, int segment)
    {
        int lane = SegmentStride.Lane(segment);
        for (int first = SegmentStride.First(segment); first < rowCount; first += SegmentStride.Step(segment))
        {
            int m = first + SegmentStride.OfThread(segment);
            Row(w, (long)m * d, m < rowCount, lane, d, segment);
        }
    }

    /// <summary>One row, by its segment (shared with <see cref="DecoderAdam"/>); every lane calls it, as in
    /// <see cref="RemoveParallelGrad.Row"/>.</summary>
    internal static void Row(ArrayView<float> w, long row, bool valid, int lane, int d, int segment)
    {
        float partial = 0;
        if (valid)
            for (int i = lane; i < d; i += segment) partial += w[row + i] * w[row + i];
        float norm = XMath.Sqrt(SegmentSum.Of(partial, segment));
        if (valid && norm != 0)
            for (int i = lane; i < d; i += segment) w[row + i] /= norm;
    }
}
