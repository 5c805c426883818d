using Lexicon.Kernels;

namespace Lexicon.Model;

/// <summary>A tokenized SAE's lookup tables on a backend: one [TotalRows, d] allocation for all tables, a batch's keys
/// (laid out as <see cref="TableKeys"/> fills them) and the rows they select ([rows, Slots]).</summary>
public sealed class DeviceTables : SparseRows
{
    private readonly float[]? _peakRates;
    private readonly float[] _rates;
    private readonly int[] _rowEnds;

    /// <param name="capacity">The largest batch.</param>
    /// <param name="learningRates">Each table's peak rate, in layout order; null: the tables are not trained.</param>
    public DeviceTables(IKernels kernels, TableLayout layout, int d, int capacity, float[]? learningRates = null)
        : base(kernels, layout.TotalRows, d, (long)capacity * layout.Slots, learningRates is not null)
    {
        if (learningRates is not null && learningRates.Length != layout.Tables.Count)
            throw new ArgumentException($"{learningRates.Length} learning rates for {layout.Tables.Count} tables");
        Layout = layout;
        _peakRates = learningRates;
        _rates = new float[layout.Tables.Count];
        _rowEnds = layout.RowOffsets.Select((offset, t) => offset + layout.Tables[t].Rows).ToArray();
        Keys = Own(kernels.Allocate<int>(Math.Max(1, (long)capacity * layout.KeyWidth)));
        RowIndex = Own(kernels.Allocate<int>(Math.Max(1, (long)capacity * layout.Slots)));
    }

    public TableLayout Layout { get; }
    public DeviceArray<int> Keys { get; }
    public DeviceArray<int> RowIndex { get; }

    public void Load(TableWeights weights)
    {
        if (weights.D != D || weights.Values.Length != Values.Length) throw new ArgumentException("table weights of another shape");
        Values.CopyFromHost(weights.Values);
    }

    public TableWeights Read() => new(Layout, D, Values.ToArray());

    /// <summary>The batch's keys, [Σ key length blocks] as <see cref="TableKeys"/> fills them.</summary>
    public void UploadKeys(ReadOnlySpan<int> keys) => Keys.CopyFromHost(keys);

    public override void AddTo(View<float> known, int rows, bool overwrite)
    {
        // TableGather writes its output; the tables always come first, so there is nothing to add to.
        if (!overwrite) throw new InvalidOperationException("the tables are the known part's first term");
        var slots = RowIndex.Slice(0, (long)rows * Layout.Slots);
        long block = 0;
        for (int t = 0; t < Layout.Tables.Count; t++)
        {
            var table = Layout.Tables[t];
            Kernels.TableRows(Keys.Slice(block, (long)rows * table.KeyLength), rows, table.KeyLength, table.Slots, table.Rows,
                Layout.RowOffsets[t], table.Seed, slots, Layout.Slots, Layout.SlotColumns[t]);
            block += (long)rows * table.KeyLength;
        }
        Kernels.TableGather(slots, rows, Layout.Slots, Values.All, D, known);
    }

    public override void Backward(View<float> source, float scale, int rows)
    {
        long entries = (long)rows * Layout.Slots;
        var rowIndex = RowIndex.Slice(0, entries);
        Kernels.GroupByRow(rowIndex, (int)entries, Layout.TotalRows, Start!.All, Order!.Slice(0, entries));
        Kernels.TableGrads(Start.All, Order.Slice(0, entries), rowIndex, Layout.Slots, Layout.TotalRows, source, scale, D,
            Touched!.All, RowGrads!.All, TouchedCount!.All);
    }

    protected override TableAdam Rates(float shape)
    {
        for (int t = 0; t < _rates.Length; t++) _rates[t] = shape * _peakRates![t];
        return new TableAdam(_rowEnds, _rates);
    }
}
