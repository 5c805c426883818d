namespace Lexicon.Kernels.Cpu;

/// <summary>The managed CPU backend: SIMD kernels at the widest width the machine runs (<see cref="SimdIsa"/>) on all
/// cores, memory in <see cref="CpuArray{T}"/>. Synchronous: every call has finished when it returns. Arguments are
/// checked by each operation's rules in <c>Ops/</c>; the scratch memory kept between calls (packed GEMM operands, panel
/// maxima) holds nothing a later call reads before writing it.</summary>
public sealed unsafe class CpuKernels : IKernels
{
    private readonly string? _variantOf;
    private readonly int _variant;
    private CpuArray<float>? _packedWeight, _packedInput, _panelMaxima;

    public CpuKernels()
    {
    }

    /// <summary>A backend that runs kept variant <paramref name="variant"/> of operation <paramref name="op"/>
    /// (<see cref="CpuVariants"/>) and its default everywhere else: for comparing variants.</summary>
    public CpuKernels(string op, int variant)
    {
        var kept = CpuVariants.Of(op);
        if (variant < 1 || variant > kept.Count)
            throw new ArgumentOutOfRangeException(nameof(variant), $"{op} has {kept.Count} kept variant(s) on the CPU, not {variant}");
        (_variantOf, _variant) = (op, variant);
    }

    public string Name => "cpu";

    public Precision Precision => Precision.Fp32;

    public DeviceArray<T> Allocate<T>(long length) where T : unmanaged => new CpuArray<T>(this, length);

    public void Synchronize() { }

    public void Center(View<float> x, View<float> bDec, View<float> xc, int rows, int d)
    {
        Ops.Center.Check(ref x, ref bDec, ref xc, rows, d);
        Cpu.Center.Run(x.Ptr(), bDec.Ptr(), xc.Ptr(), rows, d);
    }

    public void EncoderGemm(View<float> xc, View<float> wEnc, View<float> bEnc, View<float> pre, int rows, int d, int latents)
    {
        Ops.EncoderGemm.Check(ref xc, ref wEnc, ref bEnc, ref pre, rows, d, latents);
        float* packedInput = Workspace(ref _packedInput, Cpu.EncoderGemm.PackedInputLength(rows, d));
        if (UsesVariant(nameof(EncoderGemm), 1))
            Gemm1Packed.Run(xc.Ptr(), wEnc.Ptr(), bEnc.Ptr(), pre.Ptr(), rows, d, latents,
                Workspace(ref _packedWeight, Gemm1Packed.PackedWeightLength(d, latents)), packedInput);
        else
            Cpu.EncoderGemm.Run(xc.Ptr(), wEnc.Ptr(), bEnc.Ptr(), pre.Ptr(), rows, d, latents,
                Workspace(ref _packedWeight, Cpu.EncoderGemm.PackedWeightLength(d, latents)), packedInput);
    }

    public void TopK(View<float> pre, int rows, int latents, int k, View<int> index, View<float> value)
    {
        Ops.TopK.Check(ref pre, rows, latents, k, ref index, ref value);
        Cpu.TopK.Run(pre.Ptr(), rows, latents, k, index.Ptr(), value.Ptr());
    }

    public void EncodeTopK(View<float> xc, View<float> wEnc, View<float> bEnc, View<float> pre, int rows, int d, int latents,
        int k, View<int> index, View<float> value)
    {
        if (UsesVariant(nameof(EncodeTopK), 1))
        {
            EncoderGemm(xc, wEnc, bEnc, pre, rows, d, latents);
            TopK(pre, rows, latents, k, index, value);
            return;
        }
        Ops.EncodeTopK.Check(ref xc, ref wEnc, ref bEnc, ref pre, rows, d, latents, k, ref index, ref value);
        Cpu.EncodeTopK.Run(xc.Ptr(), wEnc.Ptr(), bEnc.Ptr(), pre.Ptr(), rows, d, latents, k, index.Ptr(), value.Ptr(),
            Workspace(ref _packedWeight, Cpu.EncoderGemm.PackedWeightLength(d, latents)),
            Workspace(ref _packedInput, Cpu.EncoderGemm.PackedInputLength(rows, d)),
            Workspace(ref _panelMaxima, Cpu.EncodeTopK.PanelMaximaLength(rows, latents)));
    }

    public void MaskedTopK(View<float> pre, View<int> mask, int rows, int latents, int k, View<int> index, View<float> value)
    {
        Ops.MaskedTopK.Check(ref pre, ref mask, rows, latents, k, ref index, ref value);
        Cpu.MaskedTopK.Run(pre.Ptr(), mask.Ptr(), rows, latents, k, index.Ptr(), value.Ptr());
    }

    public void SparseDecode(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> bias, View<float> output, int d)
    {
        Ops.SparseDecode.Check(ref index, ref value, rows, k, ref bias, ref output, d);
        Cpu.SparseDecode.Run(index.Ptr(), value.Ptr(), rows, k, w.Ptr(), bias.IsEmpty ? null : bias.Ptr(), output.Ptr(), d);
    }

    public void Residual(View<float> predicted, View<float> target, int rows, int d, float gradScale,
        View<float> residual, View<float> grad, View<float> rowError, View<float> rowTarget)
    {
        Ops.Residual.Check(ref predicted, ref target, rows, d, ref residual, ref grad, ref rowError, ref rowTarget);
        Cpu.Residual.Run(predicted.Ptr(), target.Ptr(), rows, d, gradScale, residual.Ptr(), grad.Ptr(), rowError.Ptr(),
            rowTarget.IsEmpty ? null : rowTarget.Ptr());
    }

    public void LatentGrad(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> grad, int d, View<float> gAct)
    {
        Ops.LatentGrad.Check(ref index, ref value, rows, k, ref grad, d, ref gAct);
        Cpu.LatentGrad.Run(index.Ptr(), value.Ptr(), rows, k, w.Ptr(), grad.Ptr(), d, gAct.Ptr());
    }

    public void GroupByRow(View<int> index, int count, int rowCount, View<int> start, View<int> order)
    {
        Ops.GroupByRow.Check(ref index, count, rowCount, ref start, ref order);
        Cpu.GroupByRow.Run(index.Ptr(), count, rowCount, start.Ptr(), order.Ptr());
    }

    public void SparseWeightGrads(View<int> start, View<int> order, View<float> value, View<float> gAct, int rows, int k, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, int d, int latents,
        View<float> dWEnc, View<float> dBEnc, View<float> dWDec)
    {
        Ops.SparseWeightGrads.Check(ref start, ref order, ref value, ref gAct, rows, k, kAux, ref grad, ref auxGrad, ref xc, d, latents,
            ref dWEnc, ref dBEnc, ref dWDec);
        Cpu.SparseWeightGrads.Run(start.Ptr(), order.Ptr(), value.Ptr(), gAct.Ptr(), rows, k, kAux, grad.Ptr(), kAux > 0 ? auxGrad.Ptr() : null,
            xc.Ptr(), d, latents, dWEnc.Ptr(), dBEnc.Ptr(), dWDec.Ptr());
    }

    public void SparseGrads(View<int> index, View<int> start, View<int> order, View<float> value, int rows, int k, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, View<float> wDec, int d, int latents,
        View<float> gAct, View<float> dWEnc, View<float> dBEnc, View<float> dWDec)
    {
        Ops.SparseGrads.Check(ref index, ref start, ref order, ref value, rows, k, kAux, ref grad, ref auxGrad, ref xc, ref wDec, d, latents,
            ref gAct, ref dWEnc, ref dBEnc, ref dWDec);
        Cpu.SparseGrads.Run(index.Ptr(), start.Ptr(), order.Ptr(), value.Ptr(), rows, k, kAux, grad.Ptr(), kAux > 0 ? auxGrad.Ptr() : null,
            xc.Ptr(), wDec.Ptr(), d, latents, gAct.Ptr(), dWEnc.Ptr(), dBEnc.Ptr(), dWDec.Ptr());
    }

    public void DecoderBiasGrad(View<float> grad, int rows, View<float> wEnc, View<float> dBEnc, int latents, int d, View<float> dBDec)
    {
        Ops.DecoderBiasGrad.Check(ref grad, rows, ref wEnc, ref dBEnc, latents, d, ref dBDec);
        Cpu.DecoderBiasGrad.Run(grad.Ptr(), rows, wEnc.Ptr(), dBEnc.Ptr(), latents, d, dBDec.Ptr());
    }

    public void RemoveParallelGrad(View<float> w, View<float> grad, int rowCount, int d)
    {
        Ops.RemoveParallelGrad.Check(ref w, ref grad, rowCount, d);
        Cpu.RemoveParallelGrad.Run(w.Ptr(), grad.Ptr(), rowCount, d);
    }

    public void NormalizeRows(View<float> w, int rowCount, int d)
    {
        Ops.NormalizeRows.Check(ref w, rowCount, d);
        Cpu.NormalizeRows.Run(w.Ptr(), rowCount, d);
    }

    public void DecoderAdam(View<float> w, View<float> grad, View<float> moment1, View<float> moment2, int rowCount, int d, in AdamStep step)
    {
        Ops.DecoderAdam.Check(ref w, ref grad, ref moment1, ref moment2, rowCount, d);
        Cpu.DecoderAdam.Run(w.Ptr(), grad.Ptr(), moment1.Ptr(), moment2.Ptr(), rowCount, d, step);
    }

    public void Adam(View<float> param, View<float> grad, View<float> moment1, View<float> moment2, in AdamStep step)
    {
        Ops.Adam.Check(param, ref grad, ref moment1, ref moment2);
        Cpu.Adam.Run(param.Ptr(), grad.Ptr(), moment1.Ptr(), moment2.Ptr(), param.Length, step);
    }

    public void SparseAdam(View<float> table, View<float> moment1, View<float> moment2, View<int> rowSteps, View<int> touched, View<float> rowGrads,
        View<int> touchedCount, int d, TableAdam settings)
    {
        Ops.SparseAdam.Check(table, ref moment1, ref moment2, ref rowSteps, ref touched, ref rowGrads, ref touchedCount, d);
        int count = touchedCount.Ptr()[0];
        if (count < 0 || count > touched.Length) throw new ArgumentException($"touchedCount is {count}, touched holds {touched.Length} rows");
        Cpu.SparseAdam.Run(table.Ptr(), moment1.Ptr(), moment2.Ptr(), rowSteps.Ptr(), touched.Ptr(), rowGrads.Ptr(), count, d, settings);
    }

    public void ActivationFloor(View<float> value, long n, float floor)
    {
        Ops.ActivationFloor.Check(ref value, n, floor);
        Cpu.ActivationFloor.Run(value.Ptr(), n, floor);
    }

    public void AddScaled(View<float> x, float alpha, View<float> y, long n)
    {
        Ops.AddScaled.Check(ref x, ref y, n);
        Cpu.AddScaled.Run(x.Ptr(), alpha, y.Ptr(), n);
    }

    public void UpdateDeadLatents(View<int> index, View<float> value, int rows, int k, int latents,
        View<int> sinceFired, int deadAfter, View<int> dead, View<int> deadCount)
    {
        Ops.UpdateDeadLatents.Check(ref index, ref value, rows, k, latents, ref sinceFired, ref dead, ref deadCount);
        deadCount.Ptr()[0] = Cpu.UpdateDeadLatents.Run(index.Span(), value.Span(), rows, k, latents, sinceFired.Span(), deadAfter, dead.Span());
    }

    public void TableRows(View<int> keys, int rows, int keyLength, int hashes, int tableRows, int rowOffset, uint seed,
        View<int> output, int stride, int column)
    {
        Ops.TableRows.Check(ref keys, rows, keyLength, hashes, tableRows, ref output, stride, column);
        Cpu.TableRows.Run(keys.Ptr(), rows, keyLength, hashes, tableRows, rowOffset, seed, output.Ptr(), stride, column);
    }

    public void TableGather(View<int> rowIndex, int rows, int slots, View<float> table, int d, View<float> output)
    {
        Ops.TableGather.Check(ref rowIndex, rows, slots, d, ref output);
        Cpu.TableGather.Run(rowIndex.Ptr(), rows, slots, table.Ptr(), d, output.Ptr());
    }

    public void TableGrads(View<int> start, View<int> order, View<int> rowIndex, int slots, int totalRows, View<float> source, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount)
    {
        Ops.TableGrads.Check(ref start, ref order, rowIndex, slots, totalRows, ref source, d, ref touched, ref rowGrads, ref touchedCount);
        Cpu.TableGrads.Run(start.Ptr(), order.Ptr(), rowIndex.Ptr(), slots, totalRows, source.Ptr(), scale, d, touched.Ptr(), rowGrads.Ptr(),
            touchedCount.Ptr());
    }

    public void PoolDecode(View<int> index, View<float> value, int rows, int active, View<float> pool, int d, View<float> output)
    {
        Ops.PoolDecode.Check(ref index, ref value, rows, active, d, ref output);
        Cpu.PoolDecode.Run(index.Ptr(), value.Ptr(), rows, active, pool.Ptr(), d, output.Ptr());
    }

    public void PoolGrads(View<int> start, View<int> order, View<int> index, View<float> value, int active, int poolRows, View<float> grad, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount)
    {
        Ops.PoolGrads.Check(ref start, ref order, index, ref value, active, poolRows, ref grad, d, ref touched, ref rowGrads, ref touchedCount);
        Cpu.PoolGrads.Run(start.Ptr(), order.Ptr(), index.Ptr(), value.Ptr(), active, poolRows, grad.Ptr(), scale, d, touched.Ptr(), rowGrads.Ptr(),
            touchedCount.Ptr());
    }

    public void Dispose()
    {
        _packedWeight?.Dispose();
        _packedInput?.Dispose();
        _panelMaxima?.Dispose();
    }

    private bool UsesVariant(string op, int variant) => _variantOf == op && _variant == variant;

    /// <summary>Scratch memory kept between calls (grown, never shrunk).</summary>
    private float* Workspace(ref CpuArray<float>? array, long length)
    {
        if (array is null || array.Length < length)
        {
            array?.Dispose();
            array = new CpuArray<float>(this, length);
        }
        return array.Pointer;
    }
}
