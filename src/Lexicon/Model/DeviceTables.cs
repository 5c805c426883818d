using Lexicon.Kernels;

namespace Lexicon.Model;

/// <summary>A tokenized SAE's lookup tables on a backend: one [TotalRows, d] allocation for all tables.</summary>
public sealed class DeviceTables : IDisposable
{
    public DeviceTables(IKernels kernels, TableLayout layout, int d)
    {
        Kernels = kernels;
        Layout = layout;
        D = d;
        Values = kernels.Allocate<float>((long)layout.TotalRows * d);
    }

    public IKernels Kernels { get; }
    public TableLayout Layout { get; }
    public int D { get; }
    public DeviceArray<float> Values { get; }

    public void Load(TableWeights weights)
    {
        if (weights.D != D || weights.Values.Length != Values.Length) throw new ArgumentException("table weights of another shape");
        Values.CopyFromHost(weights.Values);
    }

    public TableWeights Read() => new(Layout, D, Values.ToArray());

    /// <summary>rowIndex [rows, Slots] from keys already on the backend (laid out as <see cref="TableKeys"/> fills them).</summary>
    public void ComputeRows(View<int> keys, int rows, View<int> rowIndex)
    {
        long block = 0;
        for (int t = 0; t < Layout.Tables.Count; t++)
        {
            var table = Layout.Tables[t];
            Kernels.TableRows(keys.Slice(block, (long)rows * table.KeyLength), rows, table.KeyLength, table.Slots, table.Rows,
                Layout.RowOffsets[t], table.Seed, rowIndex, Layout.Slots, Layout.SlotColumns[t]);
            block += (long)rows * table.KeyLength;
        }
    }

    public void Dispose() => Values.Dispose();
}
