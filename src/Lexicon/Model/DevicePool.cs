using Lexicon.Kernels;

namespace Lexicon.Model;

/// <summary>
/// The decoder rows of a layer's feature pool on a backend ([Rows, d], not norm-constrained), and a batch's pooled
/// activations — at most Active per token, index into the rows (-1 for none) and value, computed by the encoders of
/// the features' birth layers, so constants here.
/// </summary>
public sealed class DevicePool : SparseRows
{
    private readonly float _peakRate;

    /// <param name="capacity">The largest batch.</param>
    /// <param name="learningRate">The rows' peak rate; null: the pool is not trained.</param>
    public DevicePool(IKernels kernels, int rows, int d, int active, int capacity, float? learningRate = null)
        : base(kernels, rows, d, Math.Max(1, (long)capacity * active), learningRate is not null)
    {
        Active = active;
        _peakRate = learningRate ?? 0;
        long pooled = Math.Max(1, (long)capacity * active);
        Index = Own(kernels.Allocate<int>(pooled));
        Value = Own(kernels.Allocate<float>(pooled));
    }

    public int Active { get; }
    public DeviceArray<int> Index { get; }
    public DeviceArray<float> Value { get; }

    public void Load(float[] values)
    {
        if (values.Length != (long)Rows * D) throw new ArgumentException($"{values.Length} values for a pool of {Rows} × {D}");
        Values.CopyFromHost(values);
    }

    public float[] Read() => Values.Slice(0, (long)Rows * D).ToArray();

    /// <summary>The batch's pooled activations, [rows, Active] each.</summary>
    public void Upload(ReadOnlySpan<int> index, ReadOnlySpan<float> value)
    {
        Index.CopyFromHost(index);
        Value.CopyFromHost(value);
    }

    public override void AddTo(View<float> known, int rows, bool overwrite)
    {
        if (overwrite) known.Array.Clear();
        long entries = (long)rows * Active;
        Kernels.PoolDecode(Index.Slice(0, entries), Value.Slice(0, entries), rows, Active, Values.All, D, known);
    }

    public override void Backward(View<float> source, float scale, int rows)
    {
        long entries = (long)rows * Active;
        var index = Index.Slice(0, entries);
        Kernels.GroupByRow(index, (int)entries, Rows, Start!.All, Order!.Slice(0, entries));
        Kernels.PoolGrads(Start.All, Order.Slice(0, entries), index, Value.Slice(0, entries), Active, Rows, source, scale, D,
            Touched!.All, RowGrads!.All, TouchedCount!.All);
    }

    protected override TableAdam Rates(float shape) => new([Rows], [shape * _peakRate]);
}
