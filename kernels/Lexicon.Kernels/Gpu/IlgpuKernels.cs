using System.Diagnostics;
using System.Runtime.CompilerServices;
using ILGPU;
using ILGPU.Runtime;

// ILGPU's CPU accelerator emits its kernel launchers into a dynamic assembly of this name, which must see the internal
// struct types kernels take as parameters.
[assembly: InternalsVisibleTo("ILGPURuntime")]
// Tests drive single kernels (e.g. top-k given panel maxima it did not compute).
[assembly: InternalsVisibleTo("Lexicon.Tests")]

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The ILGPU backend: hand-written kernels for CUDA, OpenCL and ILGPU's CPU emulator, lookup tables and feature pool
/// included, memory in <see cref="IlgpuArray{T}"/>. Every kernel is compiled once, here in the constructor (<see cref="CompileTime"/>).
/// Calls queue work on the accelerator's default stream and return at once; copies to the host and
/// <see cref="Synchronize"/> wait for it. Owns the accelerator it is given. Arguments are checked by each operation's
/// rules in <c>Ops/</c>, which also cut every view to the extent the call uses: kernels size their loops by their views.
/// </summary>
public sealed partial class IlgpuKernels : IKernels
{
    private readonly Launch _launch;
    private readonly Center _center;
    private readonly IDenseGemm _encoderGemm;
    private readonly TopK _topK;
    private readonly EncodeTopK _encodeTopK;
    private readonly MaskedTopK _maskedTopK;
    private readonly SparseDecode _sparseDecode;
    private readonly Residual _residual;
    private readonly LatentGrad _latentGrad;
    private readonly GroupByRow _groupByRow;
    private readonly SparseWeightGrads _sparseWeightGrads;
    private readonly DecoderBiasGrad _decoderBiasGrad;
    private readonly RemoveParallelGrad _removeParallelGrad;
    private readonly NormalizeRows _normalizeRows;
    private readonly Adam _adam;
    private readonly DecoderAdam _decoderAdam;
    private readonly UpdateDeadLatents _updateDeadLatents;
    private readonly AddScaled _addScaled;
    private readonly ActivationFloor _activationFloor;
    private readonly IlgpuArray<float> _absentFloats;
    private IlgpuArray<int>? _counts, _placed, _scanTemp, _fired;
    private IlgpuArray<float>? _partials;
    private IlgpuArray<uint>? _panelMax;
    private readonly string? _variantOf;
    private readonly int _variant;

    /// <param name="name">The backend's --device name (cuda, opencl, ilgpu-cpu).</param>
    /// <param name="op">With <paramref name="variant"/>: the operation whose kept variant (<see cref="IlgpuVariants"/>) this
    /// backend runs, its default everywhere else (for comparing variants); null: the defaults.</param>
    /// <param name="precision">The encoder GEMM's: tf32 and bf16 run it on tensor cores (<see cref="TensorCoreGemm"/>),
    /// where warps have 32 lanes and groups 256 threads.</param>
    public IlgpuKernels(Accelerator accelerator, string name, string? op = null, int variant = 0, Precision precision = Precision.Fp32)
    {
        if (precision != Precision.Fp32 && !TensorCoreGemm.Runs(accelerator))
            throw new ArgumentException($"{name}: {Precisions.Name(precision)} needs tensor cores (CUDA: 32-lane warps, groups of {TensorCoreGemm.Threads}); "
                + $"this device has {accelerator.WarpSize}-lane warps and groups of up to {accelerator.MaxNumThreadsPerGroup}", nameof(precision));
        if (op is not null)
        {
            var kept = IlgpuVariants.Of(op);
            if (variant < 1 || variant > kept.Count)
                throw new ArgumentOutOfRangeException(nameof(variant), $"{op} has {kept.Count} kept variant(s) on ILGPU, not {variant}");
            (_variantOf, _variant) = (op, variant);
        }
        Accelerator = accelerator;
        Name = name;
        Precision = precision;
        _launch = Launch.For(accelerator);
        var clock = Stopwatch.StartNew();
        _center = new Center(accelerator, _launch);
        _encoderGemm = precision != Precision.Fp32 ? new TensorCoreGemm(accelerator, precision) : new EncoderGemm(accelerator, _launch);
        _topK = new TopK(accelerator, _launch);
        _encodeTopK = new EncodeTopK(_encoderGemm, _topK, new PanelTopK(accelerator, _launch));
        _maskedTopK = new MaskedTopK(_topK);
        _sparseDecode = new SparseDecode(accelerator, _launch);
        _residual = new Residual(accelerator, _launch);
        _latentGrad = new LatentGrad(accelerator, _launch);
        _groupByRow = new GroupByRow(accelerator, _launch);
        _sparseWeightGrads = new SparseWeightGrads(accelerator, _launch);
        _decoderBiasGrad = new DecoderBiasGrad(accelerator, _launch);
        _removeParallelGrad = new RemoveParallelGrad(accelerator, _launch);
        _normalizeRows = new NormalizeRows(accelerator, _launch);
        _adam = new Adam(accelerator, _launch);
        _decoderAdam = new DecoderAdam(accelerator, _launch);
        _updateDeadLatents = new UpdateDeadLatents(accelerator, _launch);
        _addScaled = new AddScaled(accelerator, _launch);
        _activationFloor = new ActivationFloor(accelerator, _launch);
        _tableRows = new TableRows(accelerator, _launch);
        _tableGather = new TableGather(accelerator, _launch);
        _touchedRows = new TouchedRows(accelerator, _launch);
        _tableGrads = new TableGrads(accelerator, _launch, _touchedRows);
        _sparseAdam = new SparseAdam(accelerator, _launch);
        _poolDecode = new PoolDecode(accelerator, _launch);
        _poolGrads = new PoolGrads(accelerator, _launch, _touchedRows);
        CompileTime = clock.Elapsed;
        // A stand-in for the optional arguments a caller leaves empty: kernels are told not to read it.
        _absentFloats = new IlgpuArray<float>(this, 1);
    }

    public string Name { get; }

    public Precision Precision { get; }

    public Accelerator Accelerator { get; }

    /// <summary>Time spent compiling (JIT) every kernel for this accelerator.</summary>
    public TimeSpan CompileTime { get; }

    /// <summary>Threads per group of every kernel (a power of two, at most 256).</summary>
    public int GroupSize => _launch.GroupSize;

    public DeviceArray<T> Allocate<T>(long length) where T : unmanaged => new IlgpuArray<T>(this, length);

    public void Synchronize() => Accelerator.Synchronize();

    public void Center(View<float> x, View<float> bDec, View<float> xc, int rows, int d)
    {
        Ops.Center.Check(ref x, ref bDec, ref xc, rows, d);
        _center.Run(x.Of(this), bDec.Of(this), xc.Of(this), d);
    }

    public void EncoderGemm(View<float> xc, View<float> wEnc, View<float> bEnc, View<float> pre, int rows, int d, int latents)
    {
        Ops.EncoderGemm.Check(ref xc, ref wEnc, ref bEnc, ref pre, rows, d, latents);
        _encoderGemm.Run(xc.Of(this), wEnc.Of(this), bEnc.Of(this), pre.Of(this), Workspace(ref _panelMax, 1).View, false, rows, d, latents);
    }

    public void TopK(View<float> pre, int rows, int latents, int k, View<int> index, View<float> value)
    {
        Ops.TopK.Check(ref pre, rows, latents, k, ref index, ref value);
        _topK.Run(pre.Of(this), rows, latents, k, index.Of(this), value.Of(this));
    }

    public void EncodeTopK(View<float> xc, View<float> wEnc, View<float> bEnc, View<float> pre, int rows, int d, int latents,
        int k, View<int> index, View<float> value)
    {
        Ops.EncodeTopK.Check(ref xc, ref wEnc, ref bEnc, ref pre, rows, d, latents, k, ref index, ref value);
        bool panels = !UsesVariant(nameof(EncodeTopK), 1);
        long maxima = Gpu.EncodeTopK.UsesPanels(panels, latents, k) ? Gpu.EncodeTopK.PanelMaximaLength(rows, latents) : 1;
        _encodeTopK.Run(xc.Of(this), wEnc.Of(this), bEnc.Of(this), pre.Of(this), rows, d, latents, k, index.Of(this), value.Of(this),
            panels, Workspace(ref _panelMax, maxima).View.SubView(0, maxima));
    }

    public void MaskedTopK(View<float> pre, View<int> mask, int rows, int latents, int k, View<int> index, View<float> value)
    {
        Ops.MaskedTopK.Check(ref pre, ref mask, rows, latents, k, ref index, ref value);
        _maskedTopK.Run(pre.Of(this), mask.Of(this), rows, latents, k, index.Of(this), value.Of(this));
    }

    public void SparseDecode(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> bias, View<float> output, int d)
    {
        Ops.SparseDecode.Check(ref index, ref value, rows, k, ref bias, ref output, d);
        _sparseDecode.Run(index.Of(this), value.Of(this), rows, k, w.Of(this), Optional(bias), !bias.IsEmpty, output.Of(this), d);
    }

    public void Residual(View<float> predicted, View<float> target, int rows, int d, float gradScale,
        View<float> residual, View<float> grad, View<float> rowError, View<float> rowTarget)
    {
        Ops.Residual.Check(ref predicted, ref target, rows, d, ref residual, ref grad, ref rowError, ref rowTarget);
        _residual.Run(predicted.Of(this), target.Of(this), rows, d, gradScale, residual.Of(this), grad.Of(this), rowError.Of(this),
            Optional(rowTarget), !rowTarget.IsEmpty);
    }

    public void LatentGrad(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> grad, int d, View<float> gAct)
    {
        Ops.LatentGrad.Check(ref index, ref value, rows, k, ref grad, d, ref gAct);
        _latentGrad.Run(index.Of(this), value.Of(this), rows, k, w.Of(this), grad.Of(this), d, gAct.Of(this));
    }

    public void GroupByRow(View<int> index, int count, int rowCount, View<int> start, View<int> order)
    {
        Ops.GroupByRow.Check(ref index, count, rowCount, ref start, ref order);
        var counts = Workspace(ref _counts, rowCount + 1L).View.SubView(0, rowCount + 1L);
        var placed = Workspace(ref _placed, count).View;
        var scanTemp = Workspace(ref _scanTemp, _groupByRow.ScanTempLength(rowCount)).View;
        _groupByRow.Run(index.Of(this), rowCount, start.Of(this), order.Of(this), counts, placed, scanTemp);
    }

    public void SparseWeightGrads(View<int> start, View<int> order, View<float> value, View<float> gAct, int rows, int k, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, int d, int latents,
        View<float> dWEnc, View<float> dBEnc, View<float> dWDec)
    {
        Ops.SparseWeightGrads.Check(ref start, ref order, ref value, ref gAct, rows, k, kAux, ref grad, ref auxGrad, ref xc, d, latents,
            ref dWEnc, ref dBEnc, ref dWDec);
        _sparseWeightGrads.Run(start.Of(this), order.Of(this), value.Of(this), gAct.Of(this), rows, k, kAux, grad.Of(this),
            kAux > 0 ? auxGrad.Of(this) : _absentFloats.View, xc.Of(this), d, latents, dWEnc.Of(this), dBEnc.Of(this), dWDec.Of(this));
    }

    public void SparseGrads(View<int> index, View<int> start, View<int> order, View<float> value, int rows, int k, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, View<float> wDec, int d, int latents,
        View<float> gAct, View<float> dWEnc, View<float> dBEnc, View<float> dWDec)
    {
        Ops.SparseGrads.Check(ref index, ref start, ref order, ref value, rows, k, kAux, ref grad, ref auxGrad, ref xc, ref wDec, d, latents,
            ref gAct, ref dWEnc, ref dBEnc, ref dWDec);
        Gpu.SparseGrads.Run(this, index, start, order, value, rows, k, kAux, grad, auxGrad, xc, wDec, d, latents, gAct, dWEnc, dBEnc, dWDec);
    }

    public void DecoderBiasGrad(View<float> grad, int rows, View<float> wEnc, View<float> dBEnc, int latents, int d, View<float> dBDec)
    {
        Ops.DecoderBiasGrad.Check(ref grad, rows, ref wEnc, ref dBEnc, latents, d, ref dBDec);
        var partials = Workspace(ref _partials, (long)Gpu.DecoderBiasGrad.Chunks(rows, latents) * d).View;
        _decoderBiasGrad.Run(grad.Of(this), rows, wEnc.Of(this), dBEnc.Of(this), latents, d, dBDec.Of(this), partials);
    }

    public void RemoveParallelGrad(View<float> w, View<float> grad, int rowCount, int d)
    {
        Ops.RemoveParallelGrad.Check(ref w, ref grad, rowCount, d);
        _removeParallelGrad.Run(w.Of(this), grad.Of(this), rowCount, d);
    }

    public void NormalizeRows(View<float> w, int rowCount, int d)
    {
        Ops.NormalizeRows.Check(ref w, rowCount, d);
        _normalizeRows.Run(w.Of(this), rowCount, d);
    }

    public void DecoderAdam(View<float> w, View<float> grad, View<float> moment1, View<float> moment2, int rowCount, int d, in AdamStep step)
    {
        Ops.DecoderAdam.Check(ref w, ref grad, ref moment1, ref moment2, rowCount, d);
        if (w.Length > 0) _decoderAdam.Run(w.Of(this), grad.Of(this), moment1.Of(this), moment2.Of(this), rowCount, d, step);
    }

    public void Adam(View<float> param, View<float> grad, View<float> moment1, View<float> moment2, in AdamStep step)
    {
        Ops.Adam.Check(param, ref grad, ref moment1, ref moment2);
        if (param.Length > 0) _adam.Run(param.Of(this), grad.Of(this), moment1.Of(this), moment2.Of(this), step);
    }

    public void ActivationFloor(View<float> value, long n, float floor)
    {
        Ops.ActivationFloor.Check(ref value, n, floor);
        if (n > 0) _activationFloor.Run(value.Of(this), floor);
    }

    public void AddScaled(View<float> x, float alpha, View<float> y, long n)
    {
        Ops.AddScaled.Check(ref x, ref y, n);
        if (n > 0) _addScaled.Run(x.Of(this), alpha, y.Of(this));
    }

    public void UpdateDeadLatents(View<int> index, View<float> value, int rows, int k, int latents,
        View<int> sinceFired, int deadAfter, View<int> dead, View<int> deadCount)
    {
        Ops.UpdateDeadLatents.Check(ref index, ref value, rows, k, latents, ref sinceFired, ref dead, ref deadCount);
        _updateDeadLatents.Run(index.Of(this), value.Of(this), rows, latents, sinceFired.Of(this), deadAfter, dead.Of(this), deadCount.Of(this),
            Workspace(ref _fired, latents).View.SubView(0, latents));
    }

    public void Dispose()
    {
        foreach (var array in new IDisposable?[] { _absentFloats, _counts, _placed, _scanTemp, _fired, _heads, _headSlots, _partials, _panelMax })
            array?.Dispose();
        Accelerator.Dispose();
    }

    private bool UsesVariant(string op, int variant) => _variantOf == op && _variant == variant;

    /// <summary>An optional argument: the view, or (empty) the stand-in the kernel is told not to read.</summary>
    private ArrayView<float> Optional(View<float> view) => view.IsEmpty ? _absentFloats.View : view.Of(this);

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
