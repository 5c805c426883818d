using System.Diagnostics;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

// ILGPU's CPU accelerator emits its kernel launchers into a dynamic assembly of this name, which must see the internal
// struct types kernels take as parameters.
[assembly: InternalsVisibleTo("ILGPURuntime")]

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The ILGPU backend: hand-written kernels for CUDA, OpenCL and ILGPU's CPU emulator, lookup tables and feature pool
/// included, memory in <see cref="IlgpuArray{T}"/>. Every kernel is compiled once, here in the constructor (<see cref="CompileTime"/>).
/// Calls queue work on the accelerator's default stream and return at once; copies to the host and
/// <see cref="Synchronize"/> wait for it. Owns the accelerator it is given.
/// </summary>
public sealed class IlgpuKernels : IKernels, ITableKernels, IPoolKernels
{
    private readonly Launch _launch;
    private readonly Center _center;
    private readonly EncoderGemm _encoderGemm;
    private readonly TopK _topK;
    private readonly SparseDecode _sparseDecode;
    private readonly Residual _residual;
    private readonly LatentGrad _latentGrad;
    private readonly GroupByLatent _groupByLatent;
    private readonly SparseWeightGrads _sparseWeightGrads;
    private readonly DecoderBiasGrad _decoderBiasGrad;
    private readonly RemoveParallelGrad _removeParallelGrad;
    private readonly NormalizeRows _normalizeRows;
    private readonly Adam _adam;
    private readonly UpdateDeadLatents _updateDeadLatents;
    private readonly AddScaled _addScaled;
    private readonly TableRows _tableRows;
    private readonly TableGather _tableGather;
    private readonly TouchedRows _touchedRows;
    private readonly TableGrads _tableGrads;
    private readonly SparseAdam _sparseAdam;
    private readonly PoolDecode _poolDecode;
    private readonly PoolGrads _poolGrads;
    private readonly IlgpuArray<int> _absentInts;
    private readonly IlgpuArray<float> _absentFloats;
    private IlgpuArray<int>? _counts, _placed, _scanTemp, _fired, _heads, _headSlots;
    private IlgpuArray<float>? _partials;

    /// <param name="name">The backend's --device name (cuda, opencl, ilgpu-cpu).</param>
    public IlgpuKernels(Accelerator accelerator, string name)
    {
        Accelerator = accelerator;
        Name = name;
        _launch = Launch.For(accelerator);
        var clock = Stopwatch.StartNew();
        _center = new Center(accelerator, _launch);
        _encoderGemm = new EncoderGemm(accelerator, _launch);
        _topK = new TopK(accelerator, _launch);
        _sparseDecode = new SparseDecode(accelerator, _launch);
        _residual = new Residual(accelerator, _launch);
        _latentGrad = new LatentGrad(accelerator, _launch);
        _groupByLatent = new GroupByLatent(accelerator, _launch);
        _sparseWeightGrads = new SparseWeightGrads(accelerator, _launch);
        _decoderBiasGrad = new DecoderBiasGrad(accelerator, _launch);
        _removeParallelGrad = new RemoveParallelGrad(accelerator, _launch);
        _normalizeRows = new NormalizeRows(accelerator, _launch);
        _adam = new Adam(accelerator, _launch);
        _updateDeadLatents = new UpdateDeadLatents(accelerator, _launch);
        _addScaled = new AddScaled(accelerator, _launch);
        _tableRows = new TableRows(accelerator, _launch);
        _tableGather = new TableGather(accelerator, _launch);
        _touchedRows = new TouchedRows(accelerator, _launch);
        _tableGrads = new TableGrads(accelerator, _launch, _touchedRows);
        _sparseAdam = new SparseAdam(accelerator, _launch);
        _poolDecode = new PoolDecode(accelerator, _launch);
        _poolGrads = new PoolGrads(accelerator, _launch, _touchedRows);
        CompileTime = clock.Elapsed;
        // Stand-ins for the optional arguments a caller leaves empty: kernels are told not to read them.
        _absentInts = new IlgpuArray<int>(this, 1);
        _absentFloats = new IlgpuArray<float>(this, 1);
    }

    public string Name { get; }

    public Accelerator Accelerator { get; }

    /// <summary>Time spent compiling (JIT) every kernel for this accelerator.</summary>
    public TimeSpan CompileTime { get; }

    /// <summary>Threads per group of every kernel (a power of two, at most 256).</summary>
    public int GroupSize => _launch.GroupSize;

    public DeviceArray<T> Allocate<T>(long length) where T : unmanaged => new IlgpuArray<T>(this, length);

    public void Synchronize() => Accelerator.Synchronize();

    public void Center(View<float> x, View<float> bDec, View<float> xc, int rows, int d)
    {
        long n = (long)rows * d;
        _center.Run(F(x, n, "x"), F(bDec, d, "bDec"), F(xc, n, "xc"), d);
    }

    public void EncoderGemm(View<float> xc, View<float> wEnc, View<float> bEnc, View<float> pre, int rows, int d, int latents) =>
        _encoderGemm.Run(F(xc, (long)rows * d, "xc"), F(wEnc, (long)latents * d, "wEnc"), F(bEnc, latents, "bEnc"),
            F(pre, (long)rows * latents, "pre"), rows, d, latents);

    public void TopK(View<float> pre, int rows, int latents, int k, View<int> index, View<float> value)
    {
        if (k < 1 || k > latents) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} must be in [1, {latents}]");
        _topK.Run(F(pre, (long)rows * latents, "pre"), _absentInts.View, false, rows, latents, k,
            I(index, (long)rows * k, "index"), F(value, (long)rows * k, "value"));
    }

    public void MaskedTopK(View<float> pre, View<int> mask, int rows, int latents, int k, View<int> index, View<float> value)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be at least 1");
        _topK.Run(F(pre, (long)rows * latents, "pre"), I(mask, latents, "mask"), true, rows, latents, k,
            I(index, (long)rows * k, "index"), F(value, (long)rows * k, "value"));
    }

    public void SparseDecode(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> bias, View<float> output, int d) =>
        _sparseDecode.Run(I(index, (long)rows * k, "index"), F(value, (long)rows * k, "value"), rows, k, w.Of(this),
            bias.IsEmpty ? _absentFloats.View : F(bias, d, "bias"), !bias.IsEmpty, F(output, (long)rows * d, "output"), d);

    public void Residual(View<float> predicted, View<float> target, int rows, int d, float gradScale,
        View<float> residual, View<float> grad, View<float> rowError, View<float> rowTarget)
    {
        long n = (long)rows * d;
        _residual.Run(F(predicted, n, "predicted"), F(target, n, "target"), rows, d, gradScale, F(residual, n, "residual"), F(grad, n, "grad"),
            F(rowError, rows, "rowError"), rowTarget.IsEmpty ? _absentFloats.View : F(rowTarget, rows, "rowTarget"), !rowTarget.IsEmpty);
    }

    public void LatentGrad(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> grad, int d, View<float> gAct) =>
        _latentGrad.Run(I(index, (long)rows * k, "index"), F(value, (long)rows * k, "value"), rows, k, w.Of(this),
            F(grad, (long)rows * d, "grad"), d, F(gAct, (long)rows * k, "gAct"));

    public void GroupByLatent(View<int> index, int count, int latents, View<int> start, View<int> order)
    {
        var counts = Workspace(ref _counts, latents + 1L).View.SubView(0, latents + 1L);
        var placed = Workspace(ref _placed, count).View;
        var scanTemp = Workspace(ref _scanTemp, _groupByLatent.ScanTempLength(latents)).View;
        _groupByLatent.Run(I(index, count, "index"), latents, I(start, latents + 1L, "start"), I(order, count, "order"), counts, placed, scanTemp);
    }

    public void SparseWeightGrads(View<int> start, View<int> order, View<float> value, View<float> gAct, int rows, int k, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, int d, int latents,
        View<float> dWEnc, View<float> dBEnc, View<float> dWDec)
    {
        long entries = (long)rows * (k + kAux), n = (long)rows * d;
        _sparseWeightGrads.Run(I(start, latents + 1L, "start"), I(order, entries, "order"), F(value, entries, "value"), F(gAct, entries, "gAct"),
            rows, k, kAux, F(grad, n, "grad"), kAux > 0 ? F(auxGrad, n, "auxGrad") : _absentFloats.View, F(xc, n, "xc"), d, latents,
            F(dWEnc, (long)latents * d, "dWEnc"), F(dBEnc, latents, "dBEnc"), F(dWDec, (long)latents * d, "dWDec"));
    }

    public void DecoderBiasGrad(View<float> grad, int rows, View<float> wEnc, View<float> dBEnc, int latents, int d, View<float> dBDec)
    {
        var partials = Workspace(ref _partials, (long)Gpu.DecoderBiasGrad.Chunks(rows, latents) * d).View;
        _decoderBiasGrad.Run(F(grad, (long)rows * d, "grad"), rows, F(wEnc, (long)latents * d, "wEnc"), F(dBEnc, latents, "dBEnc"), latents, d,
            F(dBDec, d, "dBDec"), partials);
    }

    public void RemoveParallelGrad(View<float> w, View<float> grad, int rowCount, int d) =>
        _removeParallelGrad.Run(F(w, (long)rowCount * d, "w"), F(grad, (long)rowCount * d, "grad"), rowCount, d);

    public void NormalizeRows(View<float> w, int rowCount, int d) => _normalizeRows.Run(F(w, (long)rowCount * d, "w"), rowCount, d);

    public void Adam(View<float> param, View<float> grad, View<float> moment1, View<float> moment2, in AdamStep step)
    {
        long n = param.Length;
        if (n == 0) return;
        _adam.Run(param.Of(this), F(grad, n, "grad"), F(moment1, n, "moment1"), F(moment2, n, "moment2"), step);
    }

    public void UpdateDeadLatents(View<int> index, View<float> value, int rows, int k, int latents,
        View<int> sinceFired, int deadAfter, View<int> dead, View<int> deadCount) =>
        _updateDeadLatents.Run(I(index, (long)rows * k, "index"), F(value, (long)rows * k, "value"), rows, latents,
            I(sinceFired, latents, "sinceFired"), deadAfter, I(dead, latents, "dead"), I(deadCount, 1, "deadCount"),
            Workspace(ref _fired, latents).View.SubView(0, latents));

    public void AddScaled(View<float> x, float alpha, View<float> y, long n)
    {
        if (n > 0) _addScaled.Run(F(x, n, "x"), alpha, F(y, n, "y"));
    }

    public void TableRows(View<int> keys, int rows, int keyLength, int hashes, int tableRows, int rowOffset, uint seed,
        View<int> output, int stride, int column)
    {
        if (hashes is not (1 or 2) || keyLength < 1 || (hashes == 1 && keyLength != 1) || column + hashes > stride || tableRows < 1)
            throw new ArgumentException($"a table takes 1 exact slot (key length 1) or 2 hashed slots of at least one row; got {hashes} slots, " +
                $"key length {keyLength}, {tableRows} rows, column {column} of {stride}");
        if (rows == 0) return;
        _tableRows.Run(I(keys, (long)rows * keyLength, "keys"), rows, keyLength, hashes, tableRows, rowOffset, seed,
            I(output, (long)rows * stride, "output"), stride, column);
    }

    public void TableGather(View<int> rowIndex, int rows, int slots, View<float> table, int d, View<float> output)
    {
        if ((long)rows * d > 0) _tableGather.Run(I(rowIndex, (long)rows * slots, "rowIndex"), slots, table.Of(this), d, F(output, (long)rows * d, "output"));
    }

    public void TableGrads(View<int> start, View<int> order, View<int> rowIndex, int slots, int totalRows, View<float> source, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount)
    {
        long entries = rowIndex.Length, maxRows = Math.Min(entries, totalRows);
        var count = I(touchedCount, 1, "touchedCount");
        if (maxRows == 0)
        {
            count.MemSetToZero(Accelerator.DefaultStream);
            return;
        }
        var (heads, headSlots, scanTemp) = TouchedScratch(entries);
        _tableGrads.Run(I(start, totalRows + 1L, "start"), I(order, entries, "order"), I(rowIndex, entries, "rowIndex"), slots, totalRows,
            F(source, entries / slots * d, "source"), scale, d, I(touched, maxRows, "touched"), F(rowGrads, maxRows * d, "rowGrads"), count,
            heads, headSlots, scanTemp);
    }

    public void SparseAdam(View<float> table, View<float> moment1, View<float> moment2, View<int> rowSteps, View<int> touched, View<float> rowGrads,
        View<int> touchedCount, int d, TableAdam settings)
    {
        long tableRows = table.Length / d, maxRows = Math.Min(Math.Min(touched.Length, rowGrads.Length / d), tableRows);
        if (maxRows == 0) return;
        _sparseAdam.Run(table.Of(this), F(moment1, table.Length, "moment1"), F(moment2, table.Length, "moment2"), I(rowSteps, tableRows, "rowSteps"),
            I(touched, maxRows, "touched"), F(rowGrads, maxRows * d, "rowGrads"), I(touchedCount, 1, "touchedCount"), d, settings);
    }

    public void PoolDecode(View<int> index, View<float> value, int rows, int active, View<float> pool, int d, View<float> output)
    {
        long entries = (long)rows * active;
        if ((long)rows * d > 0)
            _poolDecode.Run(I(index, entries, "index"), F(value, entries, "value"), active, pool.Of(this), d, F(output, (long)rows * d, "output"));
    }

    public void PoolGrads(View<int> start, View<int> order, View<int> index, View<float> value, int active, int poolRows, View<float> grad, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount)
    {
        long entries = index.Length, maxRows = Math.Min(entries, poolRows);
        var count = I(touchedCount, 1, "touchedCount");
        if (maxRows == 0)
        {
            count.MemSetToZero(Accelerator.DefaultStream);
            return;
        }
        var (heads, headSlots, scanTemp) = TouchedScratch(entries);
        _poolGrads.Run(I(start, poolRows + 1L, "start"), I(order, entries, "order"), I(index, entries, "index"), F(value, entries, "value"), active, poolRows,
            F(grad, entries / active * d, "grad"), scale, d, I(touched, maxRows, "touched"), F(rowGrads, maxRows * d, "rowGrads"), count,
            heads, headSlots, scanTemp);
    }

    public void Dispose()
    {
        foreach (var array in new IDisposable?[] { _absentInts, _absentFloats, _counts, _placed, _scanTemp, _fired, _heads, _headSlots, _partials })
            array?.Dispose();
        Accelerator.Dispose();
    }

    /// <summary>The first <paramref name="length"/> elements of a float view, checked: kernels size their loops by
    /// their views, so each gets exactly the extent the call describes.</summary>
    private ArrayView<float> F(View<float> view, long length, string name) => view.Need(length, name).Slice(0, length).Of(this);

    private ArrayView<int> I(View<int> view, long length, string name) => view.Need(length, name).Slice(0, length).Of(this);

    /// <summary>The scratch of <see cref="Gpu.TouchedRows"/> for a grouping of <paramref name="entries"/> entries.</summary>
    private (ArrayView<int> Heads, ArrayView<int> Slots, ArrayView<int> ScanTemp) TouchedScratch(long entries) =>
        (Workspace(ref _heads, entries).View.SubView(0, entries), Workspace(ref _headSlots, entries).View.SubView(0, entries),
            Workspace(ref _scanTemp, _touchedRows.ScanTempLength(entries)).View);

    /// <summary>Scratch memory kept between calls (grown, never shrunk).</summary>
    private IlgpuArray<T> Workspace<T>(ref IlgpuArray<T>? array, long length) where T : unmanaged
    {
        if (array is null || array.Length < length)
        {
            if (array is not null)
            {
                Accelerator.Synchronize(); // queued kernels may still read the old scratch
                array.Dispose();
            }
            array = new IlgpuArray<T>(this, Math.Max(1, length));
        }
        return array;
    }
}
