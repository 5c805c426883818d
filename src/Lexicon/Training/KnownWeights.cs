using Lexicon.Kernels;
using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>A known part on the host, as a checkpoint or a suite layer holds it: its tables, its pool, and whether it is
/// also removed from the encoder's input. What evaluation and code extraction take; <see cref="OnDevice"/> builds the
/// step component.</summary>
public sealed record KnownWeights(TableWeights? Tables = null, PoolInput? Pool = null, bool Subtract = false)
{
    public static readonly KnownWeights None = new();

    /// <summary>The component on a backend, for batches up to capacity rows, not trained (evaluation).</summary>
    public KnownPart OnDevice(IKernels kernels, int capacity, int d)
    {
        DeviceTables? tables = null;
        if (Tables is not null)
        {
            tables = new DeviceTables(kernels, Tables.Layout, d, capacity);
            tables.Load(Tables);
        }
        DevicePool? pool = null;
        if (Pool is not null)
        {
            pool = new DevicePool(kernels, Pool.Rows, d, Pool.Active, capacity);
            pool.Load(Pool.Values);
        }
        return new KnownPart(kernels, capacity, d, tables, pool, Subtract);
    }
}
