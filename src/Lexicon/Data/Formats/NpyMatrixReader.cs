using System.IO.MemoryMappedFiles;
using System.Numerics.Tensors;

namespace Lexicon.Data.Formats;

/// <summary>Reads rows of a 2-D (or 1-D, as one column) float32/float16 .npy matrix through a read-only memory map,
/// converting to float32. Concurrent <see cref="ReadRows"/> calls are safe: they only read the mapping.</summary>
public sealed unsafe class NpyMatrixReader : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;

    /// <summary>First byte of the data section, valid until <see cref="Dispose"/>.</summary>
    private readonly byte* _data;

    private int _disposed;

    private NpyMatrixReader(string path, NpyHeader header, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* data)
    {
        Path = path;
        Header = header;
        Rows = header.RowCount;
        Columns = header.RowLength;
        _map = map;
        _view = view;
        _data = data;
    }

    public string Path { get; }
    public NpyHeader Header { get; }
    public long Rows { get; }
    public long Columns { get; }
    public DType DType => Header.DType;

    public static NpyMatrixReader Open(string path)
    {
        FileStream stream = FormatFiles.OpenRead(path);
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        try
        {
            NpyHeader header = Npy.ReadHeader(stream, path);
            if (header.DType is not (DType.Float32 or DType.Float16))
                throw new BadInputException(path, $"expected a float32 or float16 matrix, found {DTypes.Name(header.DType)}");
            if (header.Shape.Length is not (1 or 2))
                throw new BadInputException(path, $"expected a 1-D or 2-D array, found shape {Shapes.Tuple(header.Shape)}");

            // With no columns the data size no longer bounds the row count, and callers iterate over rows.
            if (header.RowLength == 0)
                throw new BadInputException(path, $"expected at least one column, found shape {Shapes.Tuple(header.Shape)}");

            // Map the whole file, header included: the file is never empty (the header is there), whereas mapping
            // a zero-length data section (0 rows) would fail.
            map = MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read,
                HandleInheritability.None, leaveOpen: false);
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* start = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
            return new NpyMatrixReader(path, header, map, view, start + view.PointerOffset + header.DataOffset);
        }
        catch
        {
            view?.Dispose();
            map?.Dispose();
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Copies rows [firstRow, firstRow + count) into the first count × Columns floats of
    /// <paramref name="destination"/>.</summary>
    public void ReadRows(long firstRow, int count, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (firstRow > Rows - count)
            throw new ArgumentOutOfRangeException(nameof(count), $"rows {firstRow}..{firstRow + count} are outside the {Rows} rows of {Path}");

        // Within the validated shape, so count × Columns is at most the data size and cannot overflow.
        long elements = count * Columns;
        if (destination.Length < elements)
            throw new ArgumentException($"{count} rows need {elements} floats but the destination holds {destination.Length}", nameof(destination));

        byte* source = _data + firstRow * Columns * DTypes.SizeOf(DType);
        Span<float> target = destination[..(int)elements];
        if (DType == DType.Float32)
            new ReadOnlySpan<float>(source, target.Length).CopyTo(target);
        else
            TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(source, target.Length), target);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
