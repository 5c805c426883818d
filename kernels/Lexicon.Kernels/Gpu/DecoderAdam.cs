using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>The decoder's update in one launch: a segment of lanes per row, each row through
/// <see cref="RemoveParallelGrad.Row"/>, <see cref="Adam.Update"/> on the lane's elements and
/// <see cref="NormalizeRows.Row"/> — the three kernels' own code, so their bits (the row stays in the SM's cache
/// between them).</summary>
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
            bool valid = m < rowCount;
            RemoveParallelGrad.Row(w, grad, row, valid, lane, d, segment);
            if (valid)
                for (int i = lane; i < d; i += segment)
                    Adam.Update(w, grad, moment1, moment2, row + i, s.Beta1, s.Beta2, s.StepSize, s.InverseCorrection2, s.Epsilon);
            NormalizeRows.Row(w, row, valid, lane, d, segment);
        }
    }
}
