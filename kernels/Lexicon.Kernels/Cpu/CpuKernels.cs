namespace Lexicon.Kernels.Cpu;

/// <summary>The managed CPU backend: Vector512 kernels on all cores, memory in <see cref="CpuArray{T}"/>.
/// Synchronous: every call has finished when it returns.</summary>
public sealed unsafe partial class CpuKernels : IKernels, ITableKernels, IPoolKernels
{
    private CpuArray<float>? _packedWeight;
    private CpuArray<float>? _packedInput;

    public string Name => "cpu";

    public DeviceArray<T> Allocate<T>(long length) where T : unmanaged => new CpuArray<T>(this, length);

    public void Synchronize() { }

    public void Center(View<float> x, View<float> bDec, View<float> xc, int rows, int d)
    {
        ForgetPanelMaxima();
        Cpu.Center.Run(x.Need((long)rows * d, "x").Ptr(), bDec.Need(d, "bDec").Ptr(), xc.Need((long)rows * d, "xc").Ptr(), rows, d);
    }

    public void EncoderGemm(View<float> xc, View<float> wEnc, View<float> bEnc, View<float> pre, int rows, int d, int latents)
    {
        var packedWeight = Workspace(ref _packedWeight, Cpu.EncoderGemm.PackedWeightLength(d, latents));
        var packedInput = Workspace(ref _packedInput, Cpu.EncoderGemm.PackedInputLength(rows, d));
        var maxima = PanelMaximaFor(rows, latents);
        Cpu.EncoderGemm.Run(xc.Need((long)rows * d, "xc").Ptr(), wEnc.Need((long)latents * d, "wEnc").Ptr(), bEnc.Need(latents, "bEnc").Ptr(),
            pre.Need((long)rows * latents, "pre").Ptr(), rows, d, latents, packedWeight, packedInput, maxima);
        RememberPanelMaxima(pre, rows, latents);
    }

    public void TopK(View<float> pre, int rows, int latents, int k, View<int> index, View<float> value)
    {
        CheckK(k, latents);
        var maxima = PanelMaximaOf(pre, rows, latents);
        ForgetPanelMaxima();
        Cpu.TopK.Run(pre.Need((long)rows * latents, "pre").Ptr(), rows, latents, k,
            index.Need((long)rows * k, "index").Ptr(), value.Need((long)rows * k, "value").Ptr(), maxima);
    }

    public void MaskedTopK(View<float> pre, View<int> mask, int rows, int latents, int k, View<int> index, View<float> value)
    {
        ForgetPanelMaxima();
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be at least 1");
        Cpu.MaskedTopK.Run(pre.Need((long)rows * latents, "pre").Ptr(), mask.Need(latents, "mask").Ptr(), rows, latents, k,
            index.Need((long)rows * k, "index").Ptr(), value.Need((long)rows * k, "value").Ptr());
    }

    public void SparseDecode(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> bias, View<float> output, int d)
    {
        ForgetPanelMaxima();
        Cpu.SparseDecode.Run(index.Need((long)rows * k, "index").Ptr(), value.Need((long)rows * k, "value").Ptr(), rows, k,
            w.Ptr(), bias.IsEmpty ? null : bias.Need(d, "bias").Ptr(), output.Need((long)rows * d, "output").Ptr(), d);
    }

    public void Residual(View<float> predicted, View<float> target, int rows, int d, float gradScale,
        View<float> residual, View<float> grad, View<float> rowError, View<float> rowTarget)
    {
        ForgetPanelMaxima();
        long n = (long)rows * d;
        Cpu.Residual.Run(predicted.Need(n, "predicted").Ptr(), target.Need(n, "target").Ptr(), rows, d, gradScale,
            residual.Need(n, "residual").Ptr(), grad.Need(n, "grad").Ptr(), rowError.Need(rows, "rowError").Ptr(),
            rowTarget.IsEmpty ? null : rowTarget.Need(rows, "rowTarget").Ptr());
    }

    public void LatentGrad(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> grad, int d, View<float> gAct)
    {
        ForgetPanelMaxima();
        Cpu.LatentGrad.Run(index.Need((long)rows * k, "index").Ptr(), value.Need((long)rows * k, "value").Ptr(), rows, k,
            w.Ptr(), grad.Need((long)rows * d, "grad").Ptr(), d, gAct.Need((long)rows * k, "gAct").Ptr());
    }

    public void GroupByLatent(View<int> index, int count, int latents, View<int> start, View<int> order)
    {
        ForgetPanelMaxima();
        Cpu.GroupByLatent.Run(index.Need(count, "index").Ptr(), count, latents, start.Need(latents + 1L, "start").Ptr(), order.Need(count, "order").Ptr());
    }

    public void SparseWeightGrads(View<int> start, View<int> order, View<float> value, View<float> gAct, int rows, int k, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, int d, int latents,
        View<float> dWEnc, View<float> dBEnc, View<float> dWDec)
    {
        ForgetPanelMaxima();
        long entries = (long)rows * (k + kAux);
        Cpu.SparseWeightGrads.Run(start.Need(latents + 1L, "start").Ptr(), order.Need(entries, "order").Ptr(),
            value.Need(entries, "value").Ptr(), gAct.Need(entries, "gAct").Ptr(), rows, k, kAux,
            grad.Need((long)rows * d, "grad").Ptr(), kAux > 0 ? auxGrad.Need((long)rows * d, "auxGrad").Ptr() : null,
            xc.Need((long)rows * d, "xc").Ptr(), d, latents,
            dWEnc.Need((long)latents * d, "dWEnc").Ptr(), dBEnc.Need(latents, "dBEnc").Ptr(), dWDec.Need((long)latents * d, "dWDec").Ptr());
    }

    public void DecoderBiasGrad(View<float> grad, int rows, View<float> wEnc, View<float> dBEnc, int latents, int d, View<float> dBDec)
    {
        ForgetPanelMaxima();
        Cpu.DecoderBiasGrad.Run(grad.Need((long)rows * d, "grad").Ptr(), rows, wEnc.Need((long)latents * d, "wEnc").Ptr(),
            dBEnc.Need(latents, "dBEnc").Ptr(), latents, d, dBDec.Need(d, "dBDec").Ptr());
    }

    public void RemoveParallelGrad(View<float> w, View<float> grad, int rowCount, int d)
    {
        ForgetPanelMaxima();
        Cpu.RemoveParallelGrad.Run(w.Need((long)rowCount * d, "w").Ptr(), grad.Need((long)rowCount * d, "grad").Ptr(), rowCount, d);
    }

    public void NormalizeRows(View<float> w, int rowCount, int d)
    {
        ForgetPanelMaxima();
        Cpu.NormalizeRows.Run(w.Need((long)rowCount * d, "w").Ptr(), rowCount, d);
    }

    public void Adam(View<float> param, View<float> grad, View<float> moment1, View<float> moment2, in AdamStep step)
    {
        ForgetPanelMaxima();
        long n = param.Length;
        Cpu.Adam.Run(param.Ptr(), grad.Need(n, "grad").Ptr(), moment1.Need(n, "moment1").Ptr(), moment2.Need(n, "moment2").Ptr(), n, step);
    }

    public void UpdateDeadLatents(View<int> index, View<float> value, int rows, int k, int latents,
        View<int> sinceFired, int deadAfter, View<int> dead, View<int> deadCount)
    {
        ForgetPanelMaxima();
        int count = Cpu.UpdateDeadLatents.Run(index.Need((long)rows * k, "index").Ptr(), value.Need((long)rows * k, "value").Ptr(), rows, k, latents,
            sinceFired.Need(latents, "sinceFired").Ptr(), deadAfter, dead.Need(latents, "dead").Ptr());
        deadCount.Need(1, "deadCount").Ptr()[0] = count;
    }

    public void AddScaled(View<float> x, float alpha, View<float> y, long n)
    {
        ForgetPanelMaxima();
        Cpu.AddScaled.Run(x.Need(n, "x").Ptr(), alpha, y.Need(n, "y").Ptr(), n);
    }

    public void TableRows(View<int> keys, int rows, int keyLength, int hashes, int tableRows, int rowOffset, uint seed,
        View<int> output, int stride, int column)
    {
        ForgetPanelMaxima();
        if (hashes is not (1 or 2) || (hashes == 1 && keyLength != 1) || column + hashes > stride)
            throw new ArgumentException($"a table takes 1 exact slot (key length 1) or 2 hashed slots; got {hashes} slots, key length {keyLength}, column {column} of {stride}");
        Cpu.TableRows.Run(keys.Need((long)rows * keyLength, "keys").Ptr(), rows, keyLength, hashes, tableRows, rowOffset, seed,
            output.Need((long)rows * stride, "output").Ptr(), stride, column);
    }

    public void TableGather(View<int> rowIndex, int rows, int slots, View<float> table, int d, View<float> output)
    {
        ForgetPanelMaxima();
        Cpu.TableGather.Run(rowIndex.Need((long)rows * slots, "rowIndex").Ptr(), rows, slots, table.Ptr(), d, output.Need((long)rows * d, "output").Ptr());
    }

    public void TableGrads(View<int> start, View<int> order, View<int> rowIndex, int slots, int totalRows, View<float> source, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount)
    {
        ForgetPanelMaxima();
        long entries = rowIndex.Length;
        Cpu.TableGrads.Run(start.Need(totalRows + 1L, "start").Ptr(), order.Ptr(), rowIndex.Ptr(), slots, totalRows,
            source.Need(entries / slots * d, "source").Ptr(), scale, d,
            touched.Need(entries, "touched").Ptr(), rowGrads.Need(entries * d, "rowGrads").Ptr(), touchedCount.Need(1, "touchedCount").Ptr());
    }

    public void SparseAdam(View<float> table, View<float> moment1, View<float> moment2, View<int> rowSteps, View<int> touched, View<float> rowGrads,
        View<int> touchedCount, int d, TableAdam settings)
    {
        ForgetPanelMaxima();
        int count = touchedCount.Need(1, "touchedCount").Ptr()[0];
        Cpu.SparseAdam.Run(table.Ptr(), moment1.Need(table.Length, "moment1").Ptr(), moment2.Need(table.Length, "moment2").Ptr(),
            rowSteps.Need(table.Length / d, "rowSteps").Ptr(), touched.Need(count, "touched").Ptr(), rowGrads.Need((long)count * d, "rowGrads").Ptr(),
            count, d, settings);
    }

    public void Dispose()
    {
        _packedWeight?.Dispose();
        _packedInput?.Dispose();
        _panelMaxima?.Dispose();
        ForgetPanelMaxima();
    }

    private static void CheckK(int k, int latents)
    {
        if (k < 1 || k > latents) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} must be in [1, {latents}]");
    }

    /// <summary>Scratch memory kept between calls (grown, never shrunk): the packed GEMM operands.</summary>
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
