using Lexicon.Kernels;

namespace Lexicon.Model;

/// <summary>
/// Rows added to the reconstruction and trained with lazy Adam: only the rows a batch touched take a step, each with
/// its own step count (its bias correction). The lookup tables and the feature pool are the two kinds; each owns its
/// values ([Rows, d]), its moments and row steps, and a batch's buffers (its entries grouped by row, the touched rows
/// and their gradients). Built without learning rates, it only computes (evaluation): no moments, no gradient buffers.
/// </summary>
public abstract class SparseRows : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private bool _disposed;

    protected SparseRows(IKernels kernels, int rows, int d, long entries, bool trainable)
    {
        Kernels = kernels;
        Rows = rows;
        D = d;
        Values = Own(kernels.Allocate<float>((long)Math.Max(1, rows) * d));
        if (!trainable) return;
        Moment1 = Own(kernels.Allocate<float>(Values.Length));
        Moment2 = Own(kernels.Allocate<float>(Values.Length));
        RowSteps = Own(kernels.Allocate<int>(Math.Max(1, rows)));
        Start = Own(kernels.Allocate<int>(rows + 1L));
        Order = Own(kernels.Allocate<int>(entries));
        Touched = Own(kernels.Allocate<int>(entries));
        RowGrads = Own(kernels.Allocate<float>(entries * d));
        TouchedCount = Own(kernels.Allocate<int>(1));
    }

    public IKernels Kernels { get; }
    public int Rows { get; }
    public int D { get; }
    public DeviceArray<float> Values { get; }
    public bool Trainable => Moment1 is not null;

    // Lazy Adam's state (checkpointed): moments per value, Adam steps each row has taken.
    public DeviceArray<float>? Moment1 { get; }
    public DeviceArray<float>? Moment2 { get; }
    public DeviceArray<int>? RowSteps { get; }

    // A batch's backward: entries grouped by row, then per touched row (ascending) its gradient.
    public DeviceArray<int>? Start { get; }
    public DeviceArray<int>? Order { get; }
    public DeviceArray<int>? Touched { get; }
    public DeviceArray<float>? RowGrads { get; }
    public DeviceArray<int>? TouchedCount { get; }

    /// <summary>Adds this batch's rows into known [rows, d] (overwrite: writes them, for the first part).</summary>
    public abstract void AddTo(View<float> known, int rows, bool overwrite);

    /// <summary>The touched rows' gradients from source [rows, d], the gradient reaching the known part, times scale.</summary>
    public abstract void Backward(View<float> source, float scale, int rows);

    /// <summary>Each row range's learning rate at a point of the schedule (shape: the SAE's rate over its peak).</summary>
    protected abstract TableAdam Rates(float shape);

    /// <summary>One lazy Adam step on the rows the last backward touched.</summary>
    public void Update(float shape) => Kernels.SparseAdam(Values.All, Moment1!.All, Moment2!.All, RowSteps!.All, Touched!.All, RowGrads!.All,
        TouchedCount!.All, D, Rates(shape));

    /// <summary>Moments and row steps from a checkpoint (lengths checked by the caller).</summary>
    public void Restore(float[] moment1, float[] moment2, int[] rowSteps)
    {
        Moment1!.CopyFromHost(moment1);
        Moment2!.CopyFromHost(moment2);
        RowSteps!.CopyFromHost(rowSteps);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var array in _owned) array.Dispose();
    }

    protected DeviceArray<T> Own<T>(DeviceArray<T> array) where T : unmanaged
    {
        _owned.Add(array);
        return array;
    }
}
