using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>The decoder's update in one launch: a segment of lanes per row, as in <see cref="RemoveParallelGrad"/> and
/// <see cref="NormalizeRows"/>, whose loops it runs in their order (so their sums add alike), each lane taking the
/// Adam step of the elements it updated (<see cref="Adam.Update"/>) before the row's norm is summed.</summary>
internal sealed class DecoderAdam(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, AdamScalars> _kernel =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, AdamScalars>(Kernel);

    public void Run(ArrayView<float> w, ArrayView<float> grad, ArrayView<float> moment1, ArrayView<float> moment2, int rowCount, int d, in AdamStep s)
    {
        int segment = launch.Segment(d);
        _kernel(launch.Segments(rowCount, segment), w, grad, moment1, moment2, rowCount, d, segment,
            new AdamScalars(s.Beta1, s.Beta2, s.LearningRate / s.Correction1, 1 / s.Correction2, s.Epsilon));
    }

    /// <summary>The host-folded scalars of one Adam step (as <see cref="Adam"/> passes them).</summary>
    internal readonly record struct AdamScalars(float Beta1, float Beta2, float StepSize, float InverseCorrection2, float Epsilon);

    private static void Kernel(ArrayView<float> w, ArrayView<float> grad, ArrayView<float> moment1, ArrayView<float> moment2, int rowCount, int d,
        int segment, AdamScalars s)
    {
        int lane = SegmentStride.Lane(segment);
        for (int first = SegmentStride.First(segment); first < rowCount; first += SegmentStride.Step(segment))
        {
            int m = first + SegmentStride.OfThread(segment);
            long row = (long)m * d;
            float partial = 0;
            if (m < rowCount)
                for (int i = lane; i < d; i += segment) partial += grad[row + i] * w[row + i];
            float dot = SegmentSum.Of(partial, segment);
            float square = 0;
            if (m < rowCount)
                for (int i = lane; i < d; i += segment)
                {
                    grad[row + i] -= dot * w[row + i];
                    Adam.Update(w, grad, moment1, moment2, row + i, s.Beta1, s.Beta2, s.StepSize, s.InverseCorrection2, s.Epsilon);
                    square += w[row + i] * w[row + i];
                }
            float norm = XMath.Sqrt(SegmentSum.Of(square, segment));
            if (m < rowCount && norm != 0)
                for (int i = lane; i < d; i += segment) w[row + i] /= norm;
        }
    }
}
