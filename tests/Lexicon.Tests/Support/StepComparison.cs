using Lexicon.Kernels;
using Lexicon.Model;
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
}
