using Lexicon.Kernels;
using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>
/// One optimisation step of a TopK SAE with AuxK, as a chain of backend kernels; all state (gradients, Adam moments,
/// dead-latent counters) stays on the backend. Loss = Σ‖x̂ − x‖² / (B·v) + α·Σ‖ê − e‖² / (B·v), v the data's
/// variance per token (a constant fixed at initialisation, so the loss reads as a fraction of variance unexplained),
/// α the AuxK coefficient times min(1, dead / kAux).
/// </summary>
public sealed class TrainingStep : IDisposable
{
    private readonly int[] _deadCountHost = new int[1];

    public TrainingStep(DeviceSae sae, int batch, int k, int kAux, float auxCoefficient, int deadAfter)
    {
        Sae = sae;
        var kernels = sae.Kernels;
        K = k;
        KAux = Math.Min(kAux, sae.Shape.Latents);
        AuxCoefficient = auxCoefficient;
        DeadAfter = deadAfter;
        Buffers = new StepBuffers(kernels, sae.Shape, batch, k, KAux);
        Gradients = kernels.Allocate<float>(sae.Layout.Length);
        Moment1 = kernels.Allocate<float>(sae.Layout.Length);
        Moment2 = kernels.Allocate<float>(sae.Layout.Length);
        SinceFired = kernels.Allocate<int>(sae.Shape.Latents);
        Dead = kernels.Allocate<int>(sae.Shape.Latents);
        DeadCount = kernels.Allocate<int>(1);
    }

    public DeviceSae Sae { get; }
    public int K { get; }
    public int KAux { get; }
    public float AuxCoefficient { get; }
    public int DeadAfter { get; }
    public StepBuffers Buffers { get; }
    public DeviceArray<float> Gradients { get; }
    public DeviceArray<float> Moment1 { get; }
    public DeviceArray<float> Moment2 { get; }
    public DeviceArray<int> SinceFired { get; }
    public DeviceArray<int> Dead { get; }
    public DeviceArray<int> DeadCount { get; }

    /// <summary>Adam updates applied so far.</summary>
    public long Step { get; set; }

    /// <summary>AuxK entries per token in the last gradient (0 while no latent is dead).</summary>
    public int AuxKUsed { get; private set; }

    /// <summary>Forward and backward for the first <paramref name="rows"/> tokens of <see cref="StepBuffers.X"/>.</summary>
    public void ComputeGradients(int rows, float normalizer)
    {
        var k = Sae.Kernels;
        var b = Buffers;
        int d = Sae.Shape.D, latents = Sae.Shape.Latents;
        long n = (long)rows * d;
        float scale = 1f / (rows * normalizer);
        ForwardPass.Run(Sae, b, rows, 2 * scale);

        DeadCount.CopyToHost(_deadCountHost);
        AuxKUsed = KAux > 0 && AuxCoefficient > 0 ? Math.Min(KAux, _deadCountHost[0]) : 0;
        if (AuxKUsed > 0)
        {
            k.MaskedTopK(b.Pre.Slice(0, (long)rows * latents), Dead.All, rows, latents, AuxKUsed, b.AuxIndex(rows, AuxKUsed), b.AuxValue(rows, AuxKUsed));
            k.SparseDecode(b.AuxIndex(rows, AuxKUsed), b.AuxValue(rows, AuxKUsed), rows, AuxKUsed, Sae.WDec, default, b.AuxHat.Slice(0, n), d);
            // Fewer dead latents than kAux: the AuxK term is scaled down in proportion (as EleutherAI's sae does).
            float auxScale = AuxCoefficient * Math.Min(1f, (float)_deadCountHost[0] / KAux);
            k.Residual(b.AuxHat.Slice(0, n), b.Residual.Slice(0, n), rows, d, 2 * auxScale * scale,
                b.AuxResidual.Slice(0, n), b.AuxGrad.Slice(0, n), b.AuxRowError.Slice(0, rows), default);
        }

        long entries = (long)rows * (K + AuxKUsed);
        var wDec = Sae.WDec;
        k.LatentGrad(b.MainIndex(rows), b.MainValue(rows), rows, K, wDec, b.Grad.Slice(0, n), d, b.GAct.Slice(0, (long)rows * K));
        if (AuxKUsed > 0)
            k.LatentGrad(b.AuxIndex(rows, AuxKUsed), b.AuxValue(rows, AuxKUsed), rows, AuxKUsed, wDec, b.AuxGrad.Slice(0, n), d,
                b.GAct.Slice((long)rows * K, (long)rows * AuxKUsed));
        k.GroupByLatent(b.Index.Slice(0, entries), (int)entries, latents, b.Start.All, b.Order.Slice(0, entries));
        var layout = Sae.Layout;
        k.SparseWeightGrads(b.Start.All, b.Order.Slice(0, entries), b.Value.Slice(0, entries), b.GAct.Slice(0, entries), rows, K, AuxKUsed,
            b.Grad.Slice(0, n), b.AuxGrad.Slice(0, n), b.Xc.Slice(0, n), d, latents,
            DeviceSae.View(Gradients, layout.WEnc), DeviceSae.View(Gradients, layout.BEnc), DeviceSae.View(Gradients, layout.WDec));
        k.DecoderBiasGrad(b.Grad.Slice(0, n), rows, Sae.WEnc, DeviceSae.View(Gradients, layout.BEnc), latents, d, DeviceSae.View(Gradients, layout.BDec));
        k.UpdateDeadLatents(b.MainIndex(rows), b.MainValue(rows), rows, K, latents, SinceFired.All, DeadAfter, Dead.All, DeadCount.All);
    }

    /// <summary>Adam on every parameter, with the decoder kept on the unit sphere (parallel gradient removed before,
    /// rows renormalised after).</summary>
    public void Update(float learningRate)
    {
        var k = Sae.Kernels;
        var layout = Sae.Layout;
        int d = Sae.Shape.D, latents = Sae.Shape.Latents;
        k.RemoveParallelGrad(Sae.WDec, DeviceSae.View(Gradients, layout.WDec), latents, d);
        Step++;
        k.Adam(Sae.Parameters.All, Gradients.All, Moment1.All, Moment2.All, AdamStep.At(Step, learningRate));
        k.NormalizeRows(Sae.WDec, latents, d);
    }

    public int ReadDeadCount()
    {
        DeadCount.CopyToHost(_deadCountHost);
        return _deadCountHost[0];
    }

    public void Dispose()
    {
        Buffers.Dispose();
        Gradients.Dispose();
        Moment1.Dispose();
        Moment2.Dispose();
        SinceFired.Dispose();
        Dead.Dispose();
        DeadCount.Dispose();
    }
}
