using Lexicon.Kernels;
using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>
/// One batch's working memory on the backend, allocated once for the largest batch. Selections keep the main top-k
/// and the AuxK entries in one buffer (main first), so one grouping and one gradient pass serve both.
/// </summary>
public sealed class StepBuffers : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public StepBuffers(IKernels kernels, SaeShape shape, int capacity, int k, int kAux, TableLayout? tables = null, DevicePool? pool = null)
    {
        Capacity = capacity;
        K = k;
        KAux = kAux;
        long rowsByD = (long)capacity * shape.D;
        long entries = (long)capacity * (k + kAux);
        X = Own(kernels.Allocate<float>(rowsByD));
        Xc = Own(kernels.Allocate<float>(rowsByD));
        Pre = Own(kernels.Allocate<float>((long)capacity * shape.Latents));
        Index = Own(kernels.Allocate<int>(entries));
        Value = Own(kernels.Allocate<float>(entries));
        GAct = Own(kernels.Allocate<float>(entries));
        Order = Own(kernels.Allocate<int>(entries));
        Start = Own(kernels.Allocate<int>(shape.Latents + 1L));
        XHat = Own(kernels.Allocate<float>(rowsByD));
        Residual = Own(kernels.Allocate<float>(rowsByD));
        Grad = Own(kernels.Allocate<float>(rowsByD));
        AuxHat = Own(kernels.Allocate<float>(rowsByD));
        AuxResidual = Own(kernels.Allocate<float>(rowsByD));
        AuxGrad = Own(kernels.Allocate<float>(rowsByD));
        RowError = Own(kernels.Allocate<float>(capacity));
        RowTarget = Own(kernels.Allocate<float>(capacity));
        AuxRowError = Own(kernels.Allocate<float>(capacity));
        bool hasTables = tables is { IsEmpty: false };
        if (hasTables)
        {
            long slots = (long)capacity * tables!.Slots;
            Keys = Own(kernels.Allocate<int>((long)capacity * tables.KeyWidth));
            RowIndex = Own(kernels.Allocate<int>(slots));
            TableStart = Own(kernels.Allocate<int>(tables.TotalRows + 1L));
            TableOrder = Own(kernels.Allocate<int>(slots));
            Touched = Own(kernels.Allocate<int>(slots));
            RowGrads = Own(kernels.Allocate<float>(slots * shape.D));
            TouchedCount = Own(kernels.Allocate<int>(1));
        }
        if (pool is not null)
        {
            long pooled = Math.Max(1, (long)capacity * pool.Active);
            PoolIndex = Own(kernels.Allocate<int>(pooled));
            PoolValue = Own(kernels.Allocate<float>(pooled));
            PoolStart = Own(kernels.Allocate<int>(pool.Rows + 1L));
            PoolOrder = Own(kernels.Allocate<int>(pooled));
            PoolTouched = Own(kernels.Allocate<int>(pooled));
            PoolRowGrads = Own(kernels.Allocate<float>(pooled * shape.D));
            PoolTouchedCount = Own(kernels.Allocate<int>(1));
        }
        if (hasTables || pool is not null)
        {
            Known = Own(kernels.Allocate<float>(rowsByD));
            KnownSource = Own(kernels.Allocate<float>(rowsByD));
            KnownSourceAux = Own(kernels.Allocate<float>(rowsByD));
        }
    }

    public int Capacity { get; }
    public int K { get; }
    public int KAux { get; }
    public DeviceArray<float> X { get; }
    public DeviceArray<float> Xc { get; }
    public DeviceArray<float> Pre { get; }
    public DeviceArray<int> Index { get; }
    public DeviceArray<float> Value { get; }
    public DeviceArray<float> GAct { get; }
    public DeviceArray<int> Order { get; }
    public DeviceArray<int> Start { get; }
    public DeviceArray<float> XHat { get; }
    public DeviceArray<float> Residual { get; }
    public DeviceArray<float> Grad { get; }
    public DeviceArray<float> AuxHat { get; }
    public DeviceArray<float> AuxResidual { get; }
    public DeviceArray<float> AuxGrad { get; }
    public DeviceArray<float> RowError { get; }
    public DeviceArray<float> RowTarget { get; }
    public DeviceArray<float> AuxRowError { get; }

    // The lookup-table path (null without tables): keys and selected rows of the batch, the rows grouped by table
    // row, and the touched rows with their gradients.
    public DeviceArray<int>? Keys { get; }
    public DeviceArray<int>? RowIndex { get; }
    public DeviceArray<int>? TableStart { get; }
    public DeviceArray<int>? TableOrder { get; }
    public DeviceArray<int>? Touched { get; }
    public DeviceArray<float>? RowGrads { get; }
    public DeviceArray<int>? TouchedCount { get; }

    // The feature pool (null without one): the batch's pooled activations, grouped by pool row, and the touched rows'
    // gradients.
    public DeviceArray<int>? PoolIndex { get; }
    public DeviceArray<float>? PoolValue { get; }
    public DeviceArray<int>? PoolStart { get; }
    public DeviceArray<int>? PoolOrder { get; }
    public DeviceArray<int>? PoolTouched { get; }
    public DeviceArray<float>? PoolRowGrads { get; }
    public DeviceArray<int>? PoolTouchedCount { get; }

    /// <summary>Per token, the hard-coded part of the reconstruction: the tables' rows plus the pooled features.</summary>
    public DeviceArray<float>? Known { get; }

    /// <summary>With subtracted known parts, the per-token gradient reaching the encoder's input, minus the loss gradient.</summary>
    public DeviceArray<float>? KnownSource { get; }
    public DeviceArray<float>? KnownSourceAux { get; }

    public View<int> MainIndex(int rows) => Index.Slice(0, (long)rows * K);
    public View<float> MainValue(int rows) => Value.Slice(0, (long)rows * K);
    public View<int> AuxIndex(int rows, int kAux) => Index.Slice((long)rows * K, (long)rows * kAux);
    public View<float> AuxValue(int rows, int kAux) => Value.Slice((long)rows * K, (long)rows * kAux);

    public void Dispose()
    {
        foreach (var array in _owned) array.Dispose();
    }

    private DeviceArray<T> Own<T>(DeviceArray<T> array) where T : unmanaged
    {
        _owned.Add(array);
        return array;
    }
}
