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

    public TrainingStep(DeviceSae sae, int batch, int k, int kAux, float auxCoefficient, int deadAfter,
        DeviceTables? tables = null, bool subtractKnown = false, DevicePool? pool = null)
    {
        Sae = sae;
        var kernels = sae.Kernels;
        K = k;
        KAux = Math.Min(kAux, sae.Shape.Latents);
        AuxCoefficient = auxCoefficient;
        DeadAfter = deadAfter;
        Tables = tables;
        Pool = pool;
        SubtractKnown = subtractKnown && (tables is not null || pool is not null);
        Buffers = new StepBuffers(kernels, sae.Shape, batch, k, KAux, tables?.Layout, pool);
        if (tables is not null)
        {
            TableMoment1 = kernels.Allocate<float>(tables.Values.Length);
            TableMoment2 = kernels.Allocate<float>(tables.Values.Length);
            TableRowSteps = kernels.Allocate<int>(tables.Layout.TotalRows);
        }
        if (pool is not null)
        {
            PoolMoment1 = kernels.Allocate<float>(pool.Values.Length);
            PoolMoment2 = kernels.Allocate<float>(pool.Values.Length);
            PoolRowSteps = kernels.Allocate<int>(Math.Max(1, pool.Rows));
        }
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
    public DeviceTables? Tables { get; }
    public DevicePool? Pool { get; }

    /// <summary>The known part (tables + pool) is also removed from the encoder's input.</summary>
    public bool SubtractKnown { get; }
    public DeviceArray<float>? TableMoment1 { get; }
    public DeviceArray<float>? TableMoment2 { get; }

    /// <summary>Adam steps each table row has taken (its bias corrections).</summary>
    public DeviceArray<int>? TableRowSteps { get; }

    public DeviceArray<float>? PoolMoment1 { get; }
    public DeviceArray<float>? PoolMoment2 { get; }
    public DeviceArray<int>? PoolRowSteps { get; }

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
        ForwardPass.Run(Sae, b, rows, 2 * scale, Tables, SubtractKnown, Pool);

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
        k.GroupByRow(b.Index.Slice(0, entries), (int)entries, latents, b.Start.All, b.Order.Slice(0, entries));
        var layout = Sae.Layout;
        k.SparseWeightGrads(b.Start.All, b.Order.Slice(0, entries), b.Value.Slice(0, entries), b.GAct.Slice(0, entries), rows, K, AuxKUsed,
            b.Grad.Slice(0, n), b.AuxGrad.Slice(0, n), b.Xc.Slice(0, n), d, latents,
            DeviceSae.View(Gradients, layout.WEnc), DeviceSae.View(Gradients, layout.BEnc), DeviceSae.View(Gradients, layout.WDec));
        k.DecoderBiasGrad(b.Grad.Slice(0, n), rows, Sae.WEnc, DeviceSae.View(Gradients, layout.BEnc), latents, d, DeviceSae.View(Gradients, layout.BDec));
        k.UpdateDeadLatents(b.MainIndex(rows), b.MainValue(rows), rows, K, latents, SinceFired.All, DeadAfter, Dead.All, DeadCount.All);
        if (Tables is not null || Pool is not null) KnownGradients(rows);
    }

    /// <summary>
    /// The touched table and pool rows' gradients: a row reaches the loss through the reconstruction (the loss gradient
    /// of each token that selected it, times the pooled activation for the pool) and, with the known part subtracted,
    /// through the encoder's input (minus the gradient there, Σ_j gAct·W_enc[latent]: a sparse decode of gAct through W_enc).
    /// </summary>
    private void KnownGradients(int rows)
    {
        var k = Sae.Kernels;
        var b = Buffers;
        int d = Sae.Shape.D;
        long n = (long)rows * d;
        var source = b.Grad.Slice(0, n);
        float scale = 1;
        if (SubtractKnown)
        {
            var toInput = b.KnownSource!.Slice(0, n);
            k.SparseDecode(b.MainIndex(rows), b.GAct.Slice(0, (long)rows * K), rows, K, Sae.WEnc, default, toInput, d);
            if (AuxKUsed > 0)
            {
                var auxToInput = b.KnownSourceAux!.Slice(0, n);
                k.SparseDecode(b.AuxIndex(rows, AuxKUsed), b.GAct.Slice((long)rows * K, (long)rows * AuxKUsed), rows, AuxKUsed, Sae.WEnc, default, auxToInput, d);
                k.AddScaled(auxToInput, 1, toInput, n);
            }
            k.AddScaled(b.Grad.Slice(0, n), -1, toInput, n);
            (source, scale) = (toInput, -1);
        }
        if (Tables is not null)
        {
            var layout = Tables.Layout;
            long entries = (long)rows * layout.Slots;
            var rowIndex = b.RowIndex!.Slice(0, entries);
            k.GroupByRow(rowIndex, (int)entries, layout.TotalRows, b.TableStart!.All, b.TableOrder!.Slice(0, entries));
            k.TableGrads(b.TableStart.All, b.TableOrder.Slice(0, entries), rowIndex, layout.Slots, layout.TotalRows, source, scale, d,
                b.Touched!.All, b.RowGrads!.All, b.TouchedCount!.All);
        }
        if (Pool is not null)
        {
            long entries = (long)rows * Pool.Active;
            var index = b.PoolIndex!.Slice(0, entries);
            var value = b.PoolValue!.Slice(0, entries);
            k.GroupByRow(index, (int)entries, Pool.Rows, b.PoolStart!.All, b.PoolOrder!.Slice(0, entries));
            Pool.Kernels.PoolGrads(b.PoolStart.All, b.PoolOrder.Slice(0, entries), index, value, Pool.Active, Pool.Rows, source, scale, d,
                b.PoolTouched!.All, b.PoolRowGrads!.All, b.PoolTouchedCount!.All);
        }
    }

    /// <summary>Adam on every parameter, with the decoder kept on the unit sphere (parallel gradient removed before,
    /// rows renormalised after).</summary>
    /// <param name="tableLearningRates">The rate of each table, in layout order (ignored without tables).</param>
    /// <param name="poolLearningRate">The rate of the pool's decoder rows (ignored without a pool).</param>
    public void Update(float learningRate, float[]? tableLearningRates = null, float poolLearningRate = 0)
    {
        var k = Sae.Kernels;
        var layout = Sae.Layout;
        int d = Sae.Shape.D, latents = Sae.Shape.Latents;
        k.RemoveParallelGrad(Sae.WDec, DeviceSae.View(Gradients, layout.WDec), latents, d);
        Step++;
        k.Adam(Sae.Parameters.All, Gradients.All, Moment1.All, Moment2.All, AdamStep.At(Step, learningRate));
        k.NormalizeRows(Sae.WDec, latents, d);
        if (Tables is not null)
        {
            var tableLayout = Tables.Layout;
            var rowEnds = tableLayout.RowOffsets.Select((offset, t) => offset + tableLayout.Tables[t].Rows).ToArray();
            Tables.Kernels.SparseAdam(Tables.Values.All, TableMoment1!.All, TableMoment2!.All, TableRowSteps!.All, Buffers.Touched!.All,
                Buffers.RowGrads!.All, Buffers.TouchedCount!.All, d, new TableAdam(rowEnds, tableLearningRates!));
        }
        if (Pool is not null)
            k.SparseAdam(Pool.Values.All, PoolMoment1!.All, PoolMoment2!.All, PoolRowSteps!.All, Buffers.PoolTouched!.All,
                Buffers.PoolRowGrads!.All, Buffers.PoolTouchedCount!.All, d, new TableAdam([Pool.Rows], [poolLearningRate]));
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
        TableMoment1?.Dispose();
        TableMoment2?.Dispose();
        TableRowSteps?.Dispose();
        PoolMoment1?.Dispose();
        PoolMoment2?.Dispose();
        PoolRowSteps?.Dispose();
    }
}
