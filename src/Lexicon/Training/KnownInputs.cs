using Lexicon.Data;
using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>
/// Uploads what the known part of a batch needs besides its activations: the tables' keys (from the store's tokens and
/// positions) and the pooled activations, for the store rows of the batch. Shared by training, evaluation and the
/// suite's code extraction.
/// </summary>
public sealed class KnownInputs(ActivationStore store, int capacity, TableLayout? tables, PoolInput? pool)
{
    private readonly TableKeys? _keys = tables is { IsEmpty: false } ? new TableKeys(tables, store.Tokens, store.Positions) : null;
    private readonly int[] _hostKeys = new int[capacity * (tables?.KeyWidth ?? 0)];
    private readonly int[] _poolIndex = new int[capacity * (pool?.Active ?? 0)];
    private readonly float[] _poolValue = new float[capacity * (pool?.Active ?? 0)];

    /// <summary>The last batch's pooled activations on the host, [count, Active].</summary>
    public ReadOnlySpan<int> PoolIndex => _poolIndex;
    public ReadOnlySpan<float> PoolValue => _poolValue;

    public void Upload(ReadOnlySpan<long> rows, int count, KnownPart known)
    {
        if (_keys is not null)
        {
            _keys.Fill(rows, count, _hostKeys);
            known.Tables!.UploadKeys(_hostKeys.AsSpan(0, count * tables!.KeyWidth));
        }
        if (pool is not null)
        {
            pool.Gather(rows, count, _poolIndex, _poolValue);
            known.Pool!.Upload(_poolIndex.AsSpan(0, count * pool.Active), _poolValue.AsSpan(0, count * pool.Active));
        }
    }
}
