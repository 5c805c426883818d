using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>residual = predicted − target, grad = gradScale · residual, and per-row squared norms: a segment of lanes
/// per row (<see cref="Launch.Segment"/>), the norms added by <see cref="SegmentSum"/>.</summary>
internal sealed class Residual(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, int, int, float, ArrayView<float>, ArrayView<float>,
        ArrayView<float>, ArrayView<float>, int, int> _kernel =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, int, int, float, ArrayView<float>, ArrayView<float>,
            ArrayView<float>, ArrayView<float>, int, int>(Kernel);

    /// <param name="rowTarget">Written only when <paramref name="hasRowTarget"/>.</param>
    public void Run(ArrayView<float> predicted, ArrayView<float> target, int rows, int d, float gradScale, ArrayView<float> residual,
        ArrayView<float> grad, ArrayView<float> rowError, ArrayView<float> rowTarget, bool hasRowTarget)
    {
        int segment = launch.Segment(d);
        _kernel(launch.Segments(rows, segment),
            predicted, target, rows, d, gradScale, residual, grad, rowError, rowTarget, hasRowTarget ? 1 : 0, segment);
    }

    private static void Kernel(ArrayView<float> predicted, ArrayView<float> target, int rows, int d, float gradScale,
        ArrayView<float> residual, ArrayView<float> grad, ArrayView<float> rowError, ArrayView<float> rowTarget, int hasRowTarget, int segment)
    {
        int lane = SegmentStride.Lane(segment);
        for (int first = SegmentStride.First(segment); first < rows; first += SegmentStride.Step(segment))
        {
            int b = first + SegmentStride.OfThread(segment);
            float error = 0, norm = 0;
            if (b < rows)
                for (int i = lane; i < d; i += segment)
                {
                    long o = (long)b * d + i;
                    float t = target[o], r = predicted[o] - t;
                    residual[o] = r;
                    grad[o] = gradScale * r;
                    error += r * r;
                    norm += t * t;
                }
            error = SegmentSum.Of(error, segment);
            norm = SegmentSum.Of(norm, segment);
            if (lane == 0 && b < rows)
            {
                rowError[b] = error;
                if (hasRowTarget != 0) rowTarget[b] = norm;
            }
        }
    }
}
