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

    /// <param name="known">The tables and pool this step trains (owned by the step from here on); null: none.</param>
    /// <param name="latents">The model's latents, where <paramref name="sae"/> holds only this rank's (latent-parallel).</param>
    public TrainingStep(DeviceSae sae, int batch, int k, int kAux, float auxCoefficient, int deadAfter, KnownPart? known = null, int? latents = null)
    {
        Sae = sae;
        var kernels = sae.Kernels;
        K = k;
        KAux = Math.Min(kAux, latents ?? sae.Shape.Latents);
        AuxCoefficient = auxCoefficient;
        DeadAfter = deadAfter;
        Known = known ?? KnownPart.None(kernels);
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
    public KnownPart Known { get; }

    /// <summary>How the step is divided among ranks: not at all, by rows (data-parallel) or by latents.</summary>
    public IPartition Partition { get; set; } = WholeBatch.Instance;

    /// <summary>Adam updates applied so far.</summary>
    public long Step { get; set; }

    /// <summary>AuxK entries per token in the last gradient (0 while no latent is dead).</summary>
    public int AuxKUsed { get; private set; }

    /// <summary>Forward and backward for the first <paramref name="rows"/> tokens of <see cref="StepBuffers.X"/>.</summary>
    public void ComputeGradients(int rows, float normalizer)
    {
        var k = Sae.Kernels;
        int d = Sae.Shape.D, latents = Sae.Shape.Latents;
        float scale = 1f / (rows * normalizer);
        var v = ForwardPass.Run(Sae, Buffers, Known, rows, 2 * scale, Partition);

        int deadCount = ReadDeadCount();
        int aux = AuxKUsed = KAux > 0 && AuxCoefficient > 0 ? Math.Min(KAux, deadCount) : 0;
        if (aux > 0)
        {
            Partition.MaskedTopK(k, v, Dead.All, latents, aux);
            Partition.Decode(k, v.AuxIndex(aux), v.AuxValue(aux), rows, aux, Sae.WDec, default, v.AuxHat, d);
            // Fewer dead latents than kAux: the AuxK term is scaled down in proportion (as EleutherAI's sae does).
            float auxScale = AuxCoefficient * Math.Min(1f, (float)deadCount / KAux);
            k.Residual(v.AuxHat, v.Residual, rows, d, 2 * auxScale * scale, v.AuxResidual, v.AuxGrad, v.AuxRowError, default);
        }

        var wDec = Sae.WDec;
        var layout = Sae.Layout;
        k.GroupByRow(v.Index(aux), (int)v.Entries(aux), latents, v.Start, v.Order(aux));
        k.SparseGrads(v.Index(aux), v.Start, v.Order(aux), v.Value(aux), rows, K, aux, v.Grad, v.AuxGrad, v.Xc, wDec, d, latents, v.GAct(aux),
            DeviceSae.View(Gradients, layout.WEnc), DeviceSae.View(Gradients, layout.BEnc), DeviceSae.View(Gradients, layout.WDec));
        Partition.DecoderBiasGrad(k, v, Sae, DeviceSae.View(Gradients, layout.BEnc), DeviceSae.View(Gradients, layout.BDec));
        k.UpdateDeadLatents(v.MainIndex, v.MainValue, rows, K, latents, SinceFired.All, DeadAfter, Dead.All, DeadCount.All);
        Known.Backward(k, v, aux, Sae.WEnc, Partition);
    }

    /// <summary>Adam on every parameter, with the decoder kept on the unit sphere (parallel gradient removed before,
    /// rows renormalised after, in one pass over its rows: <see cref="IKernels.DecoderAdam"/>); then the known part's
    /// lazy Adam.</summary>
    /// <param name="knownShape">The schedule's shape at this step (rate over peak), which scales the known part's own rates.</param>
    public void Update(float learningRate, float knownShape = 1)
    {
        var k = Sae.Kernels;
        var layout = Sae.Layout;
        int d = Sae.Shape.D, latents = Sae.Shape.Latents;
        Step++;
        var step = AdamStep.At(Step, learningRate);
        // Adam is elementwise: the parameters before W_dec (W_enc, b_enc), W_dec row by row, then b_dec.
        foreach (var part in new[] { new Segment(0, layout.WDec.Offset), new Segment(layout.WDec.End, layout.Length - layout.WDec.End) })
            k.Adam(DeviceSae.View(Sae.Parameters, part), DeviceSae.View(Gradients, part), DeviceSae.View(Moment1, part), DeviceSae.View(Moment2, part), step);
        k.DecoderAdam(Sae.WDec, DeviceSae.View(Gradients, layout.WDec), DeviceSae.View(Moment1, layout.WDec), DeviceSae.View(Moment2, layout.WDec),
            latents, d, step);
        Known.Update(knownShape);
    }

    /// <summary>The job's dead latents (this process's own, in one process or data-parallel).</summary>
    public int ReadDeadCount()
    {
        DeadCount.CopyToHost(_deadCountHost);
        return Partition.DeadCount(_deadCountHost[0]);
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
        Known.Dispose();
    }
}
