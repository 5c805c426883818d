namespace Lexicon.Data;

/// <summary>
/// An endless, shuffled stream of one layer's rows, epoch after epoch, through a bounded shuffle buffer.
/// Each epoch permutes the store's chunks (runs of <see cref="ChunkRows"/> consecutive rows, so reads stay
/// sequential), fills the buffer with consecutive chunks of that order (a window) and emits the window's rows in a
/// random order. Every permutation is drawn from the run's seed, the epoch and the window, so the stream is a pure
/// function of (seed, cursor): resuming at a saved <see cref="StreamCursor"/> replays it exactly.
/// A store that fits the buffer is fully shuffled every epoch.
/// </summary>
public sealed class ShuffledRows
{
    public const int ChunkRows = 256;

    private readonly ActivationStore _store;
    private readonly int _layer;
    private readonly long _seed;
    private readonly long[] _rows;
    private readonly int _chunksPerWindow;
    private readonly float[] _window;
    private readonly long[] _windowRows;

    private long _epoch = -1;
    private int[] _chunkOrder = [];
    private long[] _windowStart = [];
    private int _loadedWindow = -1;
    private int[] _emitOrder = [];

    /// <param name="rows">The rows to stream (ascending), e.g. all rows, or all but special tokens.</param>
    /// <param name="bufferRows">Capacity of the shuffle buffer in rows.</param>
    public ShuffledRows(ActivationStore store, int layer, long seed, long[] rows, int bufferRows)
    {
        if (rows.Length == 0) throw new BadInputException(store.Directory, "no rows to train on");
        _store = store;
        _layer = layer;
        _seed = seed;
        _rows = rows;
        _chunksPerWindow = Math.Max(1, bufferRows / ChunkRows);
        int windowRows = (int)Math.Min(rows.Length, (long)_chunksPerWindow * ChunkRows);
        _window = new float[(long)windowRows * store.D];
        _windowRows = new long[windowRows];
        store.Layer(layer);
    }

    public static long[] AllRows(long count)
    {
        var rows = new long[count];
        for (long i = 0; i < count; i++) rows[i] = i;
        return rows;
    }

    public long EpochRows => _rows.Length;

    public StreamCursor Cursor { get; private set; }

    public void Seek(StreamCursor cursor)
    {
        if (cursor.Epoch < 0 || cursor.Position < 0 || cursor.Position >= _rows.Length)
            throw new ArgumentOutOfRangeException(nameof(cursor), $"cursor {cursor} outside an epoch of {_rows.Length} rows");
        Cursor = cursor;
    }

    /// <summary>Fills count rows of activations into x (count × d) and their store row ids into rowIds.</summary>
    public void Next(int count, Span<float> x, Span<long> rowIds)
    {
        int d = _store.D;
        for (int i = 0; i < count; i++)
        {
            var (epoch, position) = Cursor;
            PrepareEpoch(epoch);
            int window = WindowOf(position);
            LoadWindow(window);
            int slot = _emitOrder[position - _windowStart[window]];
            _window.AsSpan(slot * d, d).CopyTo(x.Slice(i * d, d));
            rowIds[i] = _windowRows[slot];
            Cursor = position + 1 == _rows.Length ? new StreamCursor(epoch + 1, 0) : new StreamCursor(epoch, position + 1);
        }
    }

    private int ChunkCount => (int)((_rows.Length + ChunkRows - 1) / ChunkRows);

    private int ChunkLength(int chunk) => (int)Math.Min(ChunkRows, _rows.Length - (long)chunk * ChunkRows);

    private void PrepareEpoch(long epoch)
    {
        if (epoch == _epoch) return;
        _epoch = epoch;
        _loadedWindow = -1;
        _chunkOrder = Enumerable.Range(0, ChunkCount).ToArray();
        Rng.Derive(_seed, 0x5EED_C4A2, epoch).Shuffle(_chunkOrder.AsSpan());
        int windows = (ChunkCount + _chunksPerWindow - 1) / _chunksPerWindow;
        _windowStart = new long[windows + 1];
        for (int w = 0; w < windows; w++)
        {
            long size = 0;
            for (int c = w * _chunksPerWindow; c < Math.Min(ChunkCount, (w + 1) * _chunksPerWindow); c++) size += ChunkLength(_chunkOrder[c]);
            _windowStart[w + 1] = _windowStart[w] + size;
        }
    }

    private int WindowOf(long position)
    {
        int w = Array.BinarySearch(_windowStart, position);
        return w >= 0 ? w : ~w - 1;
    }

    private void LoadWindow(int window)
    {
        if (window == _loadedWindow) return;
        int d = _store.D, filled = 0;
        for (int c = window * _chunksPerWindow; c < Math.Min(ChunkCount, (window + 1) * _chunksPerWindow); c++)
        {
            int chunk = _chunkOrder[c];
            long first = (long)chunk * ChunkRows;
            int length = ChunkLength(chunk);
            var rows = _rows.AsSpan((int)first, length);
            _store.ReadRows(_layer, rows, _window.AsSpan(filled * d, length * d));
            rows.CopyTo(_windowRows.AsSpan(filled));
            filled += length;
        }
        _emitOrder = Enumerable.Range(0, filled).ToArray();
        Rng.Derive(_seed, 0x5EED_0DE2, _epoch, window).Shuffle(_emitOrder.AsSpan());
        _loadedWindow = window;
    }
}
