using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>gAct[e] = value[e] &gt; 0 ? w[index[e]] · grad[e / k] : 0. Each entry's d-long dot product belongs to a
/// segment of <see cref="Launch.Segment"/> lanes (strided, so a segment reads contiguous runs of the row), a group
/// holds several segments, and each segment's partial sums are added by <see cref="SegmentSum"/>.</summary>
internal sealed class LatentGrad(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<float>, int, int, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>> _kernel =
        accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<float>, int, int, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>>(Kernel);

    public void Run(ArrayView<int> index, ArrayView<float> value, int rows, int k, ArrayView<float> w, ArrayView<float> grad, int d, ArrayView<float> gAct)
    {
        int segment = launch.Segment(d);
        _kernel(launch.Segments((long)rows * k, segment),
            index, value, rows * k, k, w, grad, d, segment, gAct);
    }

    private static void Kernel(ArrayView<int> index, ArrayView<float> value, int entries, int k, ArrayView<float> w, ArrayView<float> grad,
        int d, int segment, ArrayView<float> gAct)
    {
        int lane = SegmentStride.Lane(segment);
        for (int first = SegmentStride.First(segment); first < entries; first += SegmentStride.Step(segment))
        {
            int e = first + SegmentStride.OfThread(segment);
            float partial = 0;
            if (e < entries && index[e] >= 0 && value[e] > 0)
            {
                long wRow = (long)index[e] * d, gRow = (long)(e / k) * d;
                for (int i = lane; i < d; i += segment) partial += w[wRow + i] * grad[gRow + i];
            }
            float sum = SegmentSum.Of(partial, segment);
            if (lane == 0 && e < entries) gAct[e] = sum;
        }
    }
}
