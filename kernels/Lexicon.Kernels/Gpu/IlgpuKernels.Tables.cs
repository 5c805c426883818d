using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>The lookup tables' and the feature pool's operations of the ILGPU backend.</summary>
public sealed partial class IlgpuKernels
{
    private readonly TableRows _tableRows;
    private readonly TableGather _tableGather;
    private readonly TouchedRows _touchedRows;
    private readonly TableGrads _tableGrads;
    private readonly SparseAdam _sparseAdam;
    private readonly PoolDecode _poolDecode;
    private readonly PoolGrads _poolGrads;
    private IlgpuArray<int>? _heads, _headSlots;

    public void TableRows(View<int> keys, int rows, int keyLength, int hashes, int tableRows, int rowOffset, uint seed,
        View<int> output, int stride, int column)
    {
        Ops.TableRows.Check(ref keys, rows, keyLength, hashes, tableRows, ref output, stride, column);
        if (rows > 0) _tableRows.Run(keys.Of(this), rows, keyLength, hashes, tableRows, rowOffset, seed, output.Of(this), stride, column);
    }

    public void TableGather(View<int> rowIndex, int rows, int slots, View<float> table, int d, View<float> output)
    {
        Ops.TableGather.Check(ref rowIndex, rows, slots, d, ref output);
        if (output.Length > 0) _tableGather.Run(rowIndex.Of(this), slots, table.Of(this), d, output.Of(this));
    }

    public void TableGrads(View<int> start, View<int> order, View<int> rowIndex, int slots, int totalRows, View<float> source, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount)
    {
        Ops.TableGrads.Check(ref start, ref order, rowIndex, slots, totalRows, ref source, d, ref touched, ref rowGrads, ref touchedCount);
        if (NothingTouched(touched, touchedCount)) return;
        var (heads, headSlots, scanTemp) = TouchedScratch(rowIndex.Length);
        _tableGrads.Run(start.Of(this), order.Of(this), rowIndex.Of(this), slots, totalRows, source.Of(this), scale, d, touched.Of(this),
            rowGrads.Of(this), touchedCount.Of(this), heads, headSlots, scanTemp);
    }

    public void SparseAdam(View<float> table, View<float> moment1, View<float> moment2, View<int> rowSteps, View<int> touched, View<float> rowGrads,
        View<int> touchedCount, int d, TableAdam settings)
    {
        Ops.SparseAdam.Check(table, ref moment1, ref moment2, ref rowSteps, ref touched, ref rowGrads, ref touchedCount, d);
        if (touched.Length == 0) return;
        _sparseAdam.Run(table.Of(this), moment1.Of(this), moment2.Of(this), rowSteps.Of(this), touched.Of(this), rowGrads.Of(this),
            touchedCount.Of(this), d, settings);
    }

    public void PoolDecode(View<int> index, View<float> value, int rows, int active, View<float> pool, int d, View<float> output)
    {
        Ops.PoolDecode.Check(ref index, ref value, rows, active, d, ref output);
        if (output.Length > 0) _poolDecode.Run(index.Of(this), value.Of(this), active, pool.Of(this), d, output.Of(this));
    }

    public void PoolGrads(View<int> start, View<int> order, View<int> index, View<float> value, int active, int poolRows, View<float> grad, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount)
    {
        Ops.PoolGrads.Check(ref start, ref order, index, ref value, active, poolRows, ref grad, d, ref touched, ref rowGrads, ref touchedCount);
        if (NothingTouched(touched, touchedCount)) return;
        var (heads, headSlots, scanTemp) = TouchedScratch(index.Length);
        _poolGrads.Run(start.Of(this), order.Of(this), index.Of(this), value.Of(this), active, poolRows, grad.Of(this), scale, d, touched.Of(this),
            rowGrads.Of(this), touchedCount.Of(this), heads, headSlots, scanTemp);
    }

    /// <summary>No row can be touched (no entries, or no rows): the count is zeroed and the kernels are not launched.</summary>
    private bool NothingTouched(View<int> touched, View<int> touchedCount)
    {
        if (touched.Length > 0) return false;
        touchedCount.Of(this).MemSetToZero(Accelerator.DefaultStream);
        return true;
    }

    /// <summary>The scratch of <see cref="Gpu.TouchedRows"/> for a grouping of <paramref name="entries"/> entries.</summary>
    private (ArrayView<int> Heads, ArrayView<int> Slots, ArrayView<int> ScanTemp) TouchedScratch(long entries) =>
        (Workspace(ref _heads, entries).View.SubView(0, entries), Workspace(ref _headSlots, entries).View.SubView(0, entries),
            Workspace(ref _scanTemp, _touchedRows.ScanTempLength(entries)).View);
}
