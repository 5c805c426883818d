using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Lexicon.Data.Formats;

/// <summary>Writes a .npy array of <see cref="Columns"/> columns whose row count is only known at the end: rows are
/// appended, and <see cref="Complete"/> rewrites the fixed-size header with the final shape. With
/// <c>oneDimensional</c> (which needs <c>columns == 1</c>) the array has shape (N,) instead of (N, 1). Disposing
/// without <see cref="Complete"/> deletes the partial file.</summary>
public sealed class NpyStreamWriter : IDisposable
{
    /// <summary>Fits the header of any shape (two 19-digit dimensions need 106 bytes) and keeps the data 64-byte
    /// aligned like numpy's.</summary>
    private const int HeaderLength = 128;

    private const int ChunkElements = 4096;

    private readonly string _path;
    private readonly FileStream _stream;
    private readonly bool _oneDimensional;
    private bool _completed;
    private bool _disposed;

    public NpyStreamWriter(string path, DType dtype, long columns, bool oneDimensional = false)
    {
        if (dtype == DType.BFloat16)
            throw new ArgumentException("bfloat16 cannot be stored in a .npy file", nameof(dtype));
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (oneDimensional && columns != 1)
            throw new ArgumentException("a one-dimensional array has exactly one column", nameof(columns));

        _path = path;
        DType = dtype;
        Columns = columns;
        _oneDimensional = oneDimensional;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        _stream.Write(NpyHeaderFormat.Fixed(DType, Shape(), HeaderLength));
    }

    public DType DType { get; }
    public long Columns { get; }
    public long RowsWritten { get; private set; }

    /// <summary>Appends whole rows (a multiple of <see cref="Columns"/> values) to a Float32 or Float16 array.</summary>
    public void AppendRows(ReadOnlySpan<float> rows)
    {
        long count = CheckAppend(rows.Length, DType.Float32, DType.Float16);
        if (DType == DType.Float32) _stream.Write(MemoryMarshal.AsBytes(rows));
        else WriteChunks<float, Half>(rows, (source, chunk) => TensorPrimitives.ConvertToHalf(source, chunk));
        RowsWritten += count;
    }

    /// <summary>Appends whole rows (a multiple of <see cref="Columns"/> values) to an Int32 or Int64 array.</summary>
    public void AppendInts(ReadOnlySpan<int> values)
    {
        long count = CheckAppend(values.Length, DType.Int32, DType.Int64);
        if (DType == DType.Int32) _stream.Write(MemoryMarshal.AsBytes(values));
        else WriteChunks<int, long>(values, (source, chunk) =>
        {
            for (int i = 0; i < source.Length; i++) chunk[i] = source[i];
        });
        RowsWritten += count;
    }

    private delegate void Convert<TValue, TFile>(ReadOnlySpan<TValue> source, Span<TFile> chunk);

    /// <summary>Converts the values a chunk at a time through a stack buffer and writes each chunk.</summary>
    private void WriteChunks<TValue, TFile>(ReadOnlySpan<TValue> values, Convert<TValue, TFile> convert) where TFile : unmanaged
    {
        Span<TFile> chunk = stackalloc TFile[ChunkElements];
        for (int done = 0; done < values.Length; done += chunk.Length)
        {
            ReadOnlySpan<TValue> source = values.Slice(done, Math.Min(chunk.Length, values.Length - done));
            convert(source, chunk);
            _stream.Write(MemoryMarshal.AsBytes(chunk[..source.Length]));
        }
    }

    /// <summary>Writes the final shape into the header and closes the file.</summary>
    public void Complete()
    {
        CheckOpen();
        _stream.Position = 0;
        _stream.Write(NpyHeaderFormat.Fixed(DType, Shape(), HeaderLength));
        _stream.Dispose();
        _completed = true;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _stream.Dispose();
        if (!_completed)
            File.Delete(_path);
    }

    private long[] Shape() => _oneDimensional ? [RowsWritten] : [RowsWritten, Columns];

    /// <summary>Returns the number of rows <paramref name="length"/> values make.</summary>
    private long CheckAppend(int length, DType first, DType second)
    {
        CheckOpen();
        if (DType != first && DType != second)
            throw new InvalidOperationException($"cannot append {DTypes.Name(first)} values to an array of {DTypes.Name(DType)}");
        if (length % Columns != 0)
            throw new ArgumentException($"{length} values are not a whole number of {Columns}-column rows");
        return length / Columns;
    }

    private void CheckOpen()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
            throw new InvalidOperationException($"{_path} is already complete");
    }
}
