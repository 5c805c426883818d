using Lexicon.Kernels;

namespace Lexicon.Model;

/// <summary>
/// The decoder rows of a layer's feature pool on a backend ([Rows, d], not norm-constrained). A batch's pooled
/// activations — at most Active per token, computed by the encoders of the features' birth layers — are uploaded into
/// <see cref="Training.StepBuffers.PoolIndex"/> / <see cref="Training.StepBuffers.PoolValue"/> each step.
/// </summary>
public sealed class DevicePool : IDisposable
{
    public DevicePool(IKernels kernels, int rows, int d, int active)
    {
        Kernels = kernels;
        Rows = rows;
        D = d;
        Active = active;
        Values = kernels.Allocate<float>((long)Math.Max(1, rows) * d);
    }

    public IKernels Kernels { get; }
    public int Rows { get; }
    public int D { get; }
    public int Active { get; }
    public DeviceArray<float> Values { get; }

    public void Load(float[] values)
    {
        if (values.Length != (long)Rows * D) throw new ArgumentException($"{values.Length} values for a pool of {Rows} × {D}");
        Values.CopyFromHost(values);
    }

    public float[] Read() => Values.Slice(0, (long)Rows * D).ToArray();

    public void Dispose() => Values.Dispose();
}
