using System.Diagnostics;
using Lexicon.Kernels;
using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks;

/// <summary>
/// A backend wrapper that times every kernel (synchronising before and after, so it works for queued GPU backends
/// too) and charges it the FLOPs and bytes of its operation's cost model (<c>Ops/</c>, DESIGN.md §3) at the call's sizes.
/// </summary>
public sealed class TimedKernels(IKernels inner) : IKernels
{
    private readonly Dictionary<string, OpTiming> _timings = [];

    public IReadOnlyCollection<OpTiming> Timings => _timings.Values;
    public string Name => inner.Name;

    public Precision Precision => inner.Precision;

    public void Reset() => _timings.Clear();

    public DeviceArray<T> Allocate<T>(long length) where T : unmanaged => inner.Allocate<T>(length);

    public void Synchronize() => inner.Synchronize();

    public void Center(View<float> x, View<float> bDec, View<float> xc, int rows, int d) =>
        Time(nameof(Center), Kernels.Ops.Center.Cost(rows, d), () => inner.Center(x, bDec, xc, rows, d));

    public void EncoderGemm(View<float> xc, View<float> wEnc, View<float> bEnc, View<float> pre, int rows, int d, int latents) =>
        Time(nameof(EncoderGemm), Kernels.Ops.EncoderGemm.Cost(rows, d, latents), () => inner.EncoderGemm(xc, wEnc, bEnc, pre, rows, d, latents));

    public void TopK(View<float> pre, int rows, int latents, int k, View<int> index, View<float> value) =>
        Time(nameof(TopK), Kernels.Ops.TopK.Cost(rows, latents, k), () => inner.TopK(pre, rows, latents, k, index, value));

    public void EncodeTopK(View<float> xc, View<float> wEnc, View<float> bEnc, View<float> pre, int rows, int d, int latents,
        int k, View<int> index, View<float> value) =>
        Time(nameof(EncodeTopK), Kernels.Ops.EncodeTopK.Cost(rows, d, latents, k),
            () => inner.EncodeTopK(xc, wEnc, bEnc, pre, rows, d, latents, k, index, value));

    public void MaskedTopK(View<float> pre, View<int> mask, int rows, int latents, int k, View<int> index, View<float> value) =>
        Time(nameof(MaskedTopK), Kernels.Ops.MaskedTopK.Cost(rows, latents, k), () => inner.MaskedTopK(pre, mask, rows, latents, k, index, value));

    public void SparseDecode(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> bias, View<float> output, int d) =>
        Time(nameof(SparseDecode), Kernels.Ops.SparseDecode.Cost(rows, k, d), () => inner.SparseDecode(index, value, rows, k, w, bias, output, d));

    public void Residual(View<float> predicted, View<float> target, int rows, int d, float gradScale,
        View<float> residual, View<float> grad, View<float> rowError, View<float> rowTarget) =>
        Time(nameof(Residual), Kernels.Ops.Residual.Cost(rows, d),
            () => inner.Residual(predicted, target, rows, d, gradScale, residual, grad, rowError, rowTarget));

    public void LatentGrad(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> grad, int d, View<float> gAct) =>
        Time(nameof(LatentGrad), Kernels.Ops.LatentGrad.Cost(rows, k, d), () => inner.LatentGrad(index, value, rows, k, w, grad, d, gAct));

    public void GroupByRow(View<int> index, int count, int rowCount, View<int> start, View<int> order) =>
        Time(nameof(GroupByRow), Kernels.Ops.GroupByRow.Cost(count, rowCount), () => inner.GroupByRow(index, count, rowCount, start, order));

    public void SparseWeightGrads(View<int> start, View<int> order, View<float> value, View<float> gAct, int rows, int k, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, int d, int latents, View<float> dWEnc, View<float> dBEnc, View<float> dWDec) =>
        Time(nameof(SparseWeightGrads), Kernels.Ops.SparseWeightGrads.Cost(rows, k, kAux, d, latents),
            () => inner.SparseWeightGrads(start, order, value, gAct, rows, k, kAux, grad, auxGrad, xc, d, latents, dWEnc, dBEnc, dWDec));

    public void SparseGrads(View<int> index, View<int> start, View<int> order, View<float> value, int rows, int k, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, View<float> wDec, int d, int latents,
        View<float> gAct, View<float> dWEnc, View<float> dBEnc, View<float> dWDec) =>
        Time(nameof(SparseGrads), Kernels.Ops.SparseGrads.Cost(rows, k, kAux, d, latents),
            () => inner.SparseGrads(index, start, order, value, rows, k, kAux, grad, auxGrad, xc, wDec, d, latents, gAct, dWEnc, dBEnc, dWDec));

    public void DecoderBiasGrad(View<float> grad, int rows, View<float> wEnc, View<float> dBEnc, int latents, int d, View<float> dBDec) =>
        Time(nameof(DecoderBiasGrad), Kernels.Ops.DecoderBiasGrad.Cost(rows, latents, d),
            () => inner.DecoderBiasGrad(grad, rows, wEnc, dBEnc, latents, d, dBDec));

    public void RemoveParallelGrad(View<float> w, View<float> grad, int rowCount, int d) =>
        Time(nameof(RemoveParallelGrad), Kernels.Ops.RemoveParallelGrad.Cost(rowCount, d), () => inner.RemoveParallelGrad(w, grad, rowCount, d));

    public void NormalizeRows(View<float> w, int rowCount, int d) =>
        Time(nameof(NormalizeRows), Kernels.Ops.NormalizeRows.Cost(rowCount, d), () => inner.NormalizeRows(w, rowCount, d));

    public void DecoderAdam(View<float> w, View<float> grad, View<float> moment1, View<float> moment2, int rowCount, int d, in AdamStep step)
    {
        var s = step;
        Time(nameof(DecoderAdam), Kernels.Ops.DecoderAdam.Cost(rowCount, d), () => inner.DecoderAdam(w, grad, moment1, moment2, rowCount, d, s));
    }

    public void Adam(View<float> param, View<float> grad, View<float> moment1, View<float> moment2, in AdamStep step)
    {
        var s = step;
        Time(nameof(Adam), Kernels.Ops.Adam.Cost(param.Length), () => inner.Adam(param, grad, moment1, moment2, s));
    }

    public void SparseAdam(View<float> table, View<float> moment1, View<float> moment2, View<int> rowSteps, View<int> touched, View<float> rowGrads,
        View<int> touchedCount, int d, TableAdam settings) =>
        Time(nameof(SparseAdam), Kernels.Ops.SparseAdam.Cost(touched.Length, d),
            () => inner.SparseAdam(table, moment1, moment2, rowSteps, touched, rowGrads, touchedCount, d, settings));

    public void ActivationFloor(View<float> value, long n, float floor) =>
        Time(nameof(ActivationFloor), Kernels.Ops.ActivationFloor.Cost(n), () => inner.ActivationFloor(value, n, floor));

    public void AddScaled(View<float> x, float alpha, View<float> y, long n) =>
        Time(nameof(AddScaled), Kernels.Ops.AddScaled.Cost(n), () => inner.AddScaled(x, alpha, y, n));

    public void UpdateDeadLatents(View<int> index, View<float> value, int rows, int k, int latents,
        View<int> sinceFired, int deadAfter, View<int> dead, View<int> deadCount) =>
        Time(nameof(UpdateDeadLatents), Kernels.Ops.UpdateDeadLatents.Cost(rows, k, latents),
            () => inner.UpdateDeadLatents(index, value, rows, k, latents, sinceFired, deadAfter, dead, deadCount));

    public void TableRows(View<int> keys, int rows, int keyLength, int hashes, int tableRows, int rowOffset, uint seed,
        View<int> output, int stride, int column) =>
        Time(nameof(TableRows), Kernels.Ops.TableRows.Cost(rows, keyLength, hashes),
            () => inner.TableRows(keys, rows, keyLength, hashes, tableRows, rowOffset, seed, output, stride, column));

    public void TableGather(View<int> rowIndex, int rows, int slots, View<float> table, int d, View<float> output) =>
        Time(nameof(TableGather), Kernels.Ops.TableGather.Cost(rows, slots, d), () => inner.TableGather(rowIndex, rows, slots, table, d, output));

    public void TableGrads(View<int> start, View<int> order, View<int> rowIndex, int slots, int totalRows, View<float> source, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount) =>
        Time(nameof(TableGrads), Kernels.Ops.TableGrads.Cost(rowIndex.Length, d),
            () => inner.TableGrads(start, order, rowIndex, slots, totalRows, source, scale, d, touched, rowGrads, touchedCount));

    public void PoolDecode(View<int> index, View<float> value, int rows, int active, View<float> pool, int d, View<float> output) =>
        Time(nameof(PoolDecode), Kernels.Ops.PoolDecode.Cost(rows, active, d), () => inner.PoolDecode(index, value, rows, active, pool, d, output));

    public void PoolGrads(View<int> start, View<int> order, View<int> index, View<float> value, int active, int poolRows, View<float> grad, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount) =>
        Time(nameof(PoolGrads), Kernels.Ops.PoolGrads.Cost(index.Length, d),
            () => inner.PoolGrads(start, order, index, value, active, poolRows, grad, scale, d, touched, rowGrads, touchedCount));

    public void Dispose() => inner.Dispose();

    private void Time(string name, OpCost cost, Action run)
    {
        inner.Synchronize();
        long start = Stopwatch.GetTimestamp();
        run();
        inner.Synchronize();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (!_timings.TryGetValue(name, out var timing)) _timings[name] = timing = new OpTiming(name);
        timing.Calls++;
        timing.Seconds += seconds;
        timing.Flops += cost.Flops;
        timing.Bytes += cost.Bytes;
    }
}
