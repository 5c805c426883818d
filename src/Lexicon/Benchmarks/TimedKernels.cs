using System.Diagnostics;
using Lexicon.Kernels;

namespace Lexicon.Benchmarks;

/// <summary>
/// A backend wrapper that times every kernel (synchronising before and after, so it works for queued GPU backends
/// too) and charges it the FLOPs and bytes of its cost model (DESIGN.md §3), computed from the call's own sizes.
/// Bytes count each operand once (gathered rows included), fp32.
/// </summary>
public sealed class TimedKernels(IKernels inner) : IKernels, ITableKernels
{
    private ITableKernels Tables => inner as ITableKernels ?? throw new NotSupportedException($"{inner.Name} has no table kernels");

    private readonly Dictionary<string, OpTiming> _timings = [];

    public IReadOnlyCollection<OpTiming> Timings => _timings.Values;
    public string Name => inner.Name;

    public void Reset() => _timings.Clear();

    public DeviceArray<T> Allocate<T>(long length) where T : unmanaged => inner.Allocate<T>(length);

    public void Synchronize() => inner.Synchronize();

    public void Center(View<float> x, View<float> bDec, View<float> xc, int rows, int d) =>
        Time(nameof(Center), (double)rows * d, 4.0 * (2.0 * rows * d + d), () => inner.Center(x, bDec, xc, rows, d));

    public void EncoderGemm(View<float> xc, View<float> wEnc, View<float> bEnc, View<float> pre, int rows, int d, int latents) =>
        Time(nameof(EncoderGemm), 2.0 * rows * d * latents, 4.0 * ((double)rows * d + (double)latents * d + (double)rows * latents),
            () => inner.EncoderGemm(xc, wEnc, bEnc, pre, rows, d, latents));

    public void TopK(View<float> pre, int rows, int latents, int k, View<int> index, View<float> value) =>
        Time(nameof(TopK), (double)rows * latents, 4.0 * ((double)rows * latents + 2.0 * rows * k),
            () => inner.TopK(pre, rows, latents, k, index, value));

    public void MaskedTopK(View<float> pre, View<int> mask, int rows, int latents, int k, View<int> index, View<float> value) =>
        Time(nameof(MaskedTopK), (double)rows * latents, 4.0 * ((double)rows * latents + 2.0 * rows * k),
            () => inner.MaskedTopK(pre, mask, rows, latents, k, index, value));

    public void SparseDecode(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> bias, View<float> output, int d) =>
        Time(nameof(SparseDecode), 2.0 * rows * k * d, 4.0 * ((double)rows * k * d + (double)rows * d + 2.0 * rows * k),
            () => inner.SparseDecode(index, value, rows, k, w, bias, output, d));

    public void Residual(View<float> predicted, View<float> target, int rows, int d, float gradScale,
        View<float> residual, View<float> grad, View<float> rowError, View<float> rowTarget) =>
        Time(nameof(Residual), 6.0 * rows * d, 4.0 * 4 * rows * d,
            () => inner.Residual(predicted, target, rows, d, gradScale, residual, grad, rowError, rowTarget));

    public void LatentGrad(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> grad, int d, View<float> gAct) =>
        Time(nameof(LatentGrad), 2.0 * rows * k * d, 4.0 * ((double)rows * k * d + (double)rows * d + 3.0 * rows * k),
            () => inner.LatentGrad(index, value, rows, k, w, grad, d, gAct));

    public void GroupByLatent(View<int> index, int count, int latents, View<int> start, View<int> order) =>
        Time(nameof(GroupByLatent), count, 4.0 * (3.0 * count + latents), () => inner.GroupByLatent(index, count, latents, start, order));

    public void SparseWeightGrads(View<int> start, View<int> order, View<float> value, View<float> gAct, int rows, int k, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, int d, int latents, View<float> dWEnc, View<float> dBEnc, View<float> dWDec)
    {
        double entries = (double)rows * (k + kAux);
        Time(nameof(SparseWeightGrads), 4.0 * entries * d, 4.0 * (2.0 * entries * d + 2.0 * latents * d + 4 * entries),
            () => inner.SparseWeightGrads(start, order, value, gAct, rows, k, kAux, grad, auxGrad, xc, d, latents, dWEnc, dBEnc, dWDec));
    }

    public void DecoderBiasGrad(View<float> grad, int rows, View<float> wEnc, View<float> dBEnc, int latents, int d, View<float> dBDec) =>
        Time(nameof(DecoderBiasGrad), 2.0 * ((double)rows * d + (double)latents * d), 4.0 * ((double)rows * d + (double)latents * d),
            () => inner.DecoderBiasGrad(grad, rows, wEnc, dBEnc, latents, d, dBDec));

    public void RemoveParallelGrad(View<float> w, View<float> grad, int rowCount, int d) =>
        Time(nameof(RemoveParallelGrad), 4.0 * rowCount * d, 4.0 * 3 * rowCount * d, () => inner.RemoveParallelGrad(w, grad, rowCount, d));

    public void NormalizeRows(View<float> w, int rowCount, int d) =>
        Time(nameof(NormalizeRows), 3.0 * rowCount * d, 4.0 * 2 * rowCount * d, () => inner.NormalizeRows(w, rowCount, d));

    public void Adam(View<float> param, View<float> grad, View<float> moment1, View<float> moment2, in AdamStep step)
    {
        var s = step;
        Time(nameof(Adam), 10.0 * param.Length, 4.0 * 7 * param.Length, () => inner.Adam(param, grad, moment1, moment2, s));
    }

    public void UpdateDeadLatents(View<int> index, View<float> value, int rows, int k, int latents,
        View<int> sinceFired, int deadAfter, View<int> dead, View<int> deadCount) =>
        Time(nameof(UpdateDeadLatents), (double)rows * k + latents, 4.0 * (2.0 * rows * k + 3.0 * latents),
            () => inner.UpdateDeadLatents(index, value, rows, k, latents, sinceFired, deadAfter, dead, deadCount));

    public void AddScaled(View<float> x, float alpha, View<float> y, long n) =>
        Time(nameof(AddScaled), 2.0 * n, 4.0 * 3 * n, () => Tables.AddScaled(x, alpha, y, n));

    public void TableRows(View<int> keys, int rows, int keyLength, int hashes, int tableRows, int rowOffset, uint seed,
        View<int> output, int stride, int column) =>
        Time(nameof(TableRows), (double)rows * keyLength * hashes, 4.0 * rows * (keyLength + hashes),
            () => Tables.TableRows(keys, rows, keyLength, hashes, tableRows, rowOffset, seed, output, stride, column));

    public void TableGather(View<int> rowIndex, int rows, int slots, View<float> table, int d, View<float> output) =>
        Time(nameof(TableGather), (double)rows * slots * d, 4.0 * ((double)rows * slots * d + (double)rows * d),
            () => Tables.TableGather(rowIndex, rows, slots, table, d, output));

    public void TableGrads(View<int> start, View<int> order, View<int> rowIndex, int slots, int totalRows, View<float> source, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount) =>
        Time(nameof(TableGrads), 2.0 * rowIndex.Length * d, 4.0 * (2.0 * rowIndex.Length * d),
            () => Tables.TableGrads(start, order, rowIndex, slots, totalRows, source, scale, d, touched, rowGrads, touchedCount));

    public void SparseAdam(View<float> table, View<float> moment1, View<float> moment2, View<int> rowSteps, View<int> touched, View<float> rowGrads,
        View<int> touchedCount, int d, TableAdam settings) =>
        Time(nameof(SparseAdam), 10.0 * touched.Length * d, 4.0 * 7 * touched.Length * d,
            () => Tables.SparseAdam(table, moment1, moment2, rowSteps, touched, rowGrads, touchedCount, d, settings));

    public void Dispose() => inner.Dispose();

    private void Time(string name, double flops, double bytes, Action run)
    {
        inner.Synchronize();
        long start = Stopwatch.GetTimestamp();
        run();
        inner.Synchronize();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (!_timings.TryGetValue(name, out var timing)) _timings[name] = timing = new OpTiming(name);
        timing.Calls++;
        timing.Seconds += seconds;
        timing.Flops += flops;
        timing.Bytes += bytes;
    }
}
