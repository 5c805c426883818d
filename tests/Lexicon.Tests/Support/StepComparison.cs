using Lexicon.Kernels;
using Lexicon.Model;
using Lexicon.Training;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Support;

/// <summary>What the training-step tests (CPU and every ILGPU accelerator) share to put a backend's step beside the
/// float64 reference's.</summary>
public static class StepComparison
{
    /// <summary>The touched rows' gradients (a sparse list: count, row ids, rows) scattered back to a dense [totalRows, d].</summary>
    public static float[] Dense(DeviceArray<int> count, DeviceArray<int> touched, DeviceArray<float> rowGrads, int totalRows, int d)
    {
        int n = count.ToArray()[0];
        var rows = touched.ToArray();
        var grads = rowGrads.ToArray();
        var dense = new float[totalRows * d];
        for (int u = 0; u < n; u++) Array.Copy(grads, u * d, dense, rows[u] * d, d);
        return dense;
    }

    /// <summary>The reference's float64 weights rounded to the float32 the backends train.</summary>
    public static SaeWeights ToFloat(Ref.SaeWeights w, int d, int latents) => new(new SaeShape(d, latents),
        Array.ConvertAll(w.WEnc, v => (float)v), Array.ConvertAll(w.BEnc, v => (float)v),
        Array.ConvertAll(w.WDec, v => (float)v), Array.ConvertAll(w.BDec, v => (float)v));

    /// <summary>A backend's step over one batch x with these dead latents, its gradients computed (with the known part's
    /// inputs uploaded by <paramref name="upload"/> first, where there is one).</summary>
    public static ComputedStep Compute(IKernels kernels, SaeWeights weights, float[] x, int[] dead, int k, int kAux, float aux, float normalizer,
        KnownPart? known = null, IPartition? partition = null, Action? upload = null)
    {
        var sae = new DeviceSae(kernels, weights.Shape);
        sae.Load(weights);
        int rows = x.Length / weights.D;
        var step = new TrainingStep(sae, rows, k, kAux, aux, 1 << 20, known);
        if (partition is not null) step.Partition = partition;
        upload?.Invoke();
        step.Dead.CopyFromHost(dead);
        step.DeadCount.CopyFromHost([dead.Sum()]);
        step.Buffers.X.CopyFromHost(x);
        step.ComputeGradients(rows, normalizer);
        return new ComputedStep(sae, step);
    }
}

/// <summary>A step and its SAE, disposed together.</summary>
public sealed record ComputedStep(DeviceSae Sae, TrainingStep Step) : IDisposable
{
    public void Dispose()
    {
        Step.Dispose();
        Sae.Dispose();
    }
}
