using System.Collections.ObjectModel;

namespace Lexicon.Data.Formats;

/// <summary>A safetensors file opened for reading: the header is validated on open, tensors are read on demand.
/// Reads are serialised on the one underlying stream, so the object can be shared between threads.</summary>
public sealed class SafeTensorsFile : IDisposable
{
    private readonly Stream _stream;
    private readonly string _file;
    private readonly long _dataStart;

    private SafeTensorsFile(Stream stream, string file, SafeTensorsHeader header)
    {
        _stream = stream;
        _file = file;
        _dataStart = header.DataStart;
        Tensors = new ReadOnlyDictionary<string, SafeTensorInfo>(header.Tensors);
        Metadata = new ReadOnlyDictionary<string, string>(header.Metadata);
    }

    /// <summary>Tensors in header order.</summary>
    public IReadOnlyDictionary<string, SafeTensorInfo> Tensors { get; }

    /// <summary>The header's __metadata__; empty when it has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafeTensorsFile Open(string path) => Open(FormatFiles.OpenRead(path, FileOptions.RandomAccess), path);

    /// <summary>Takes ownership of <paramref name="stream"/> (seekable, exactly the file's bytes);
    /// <paramref name="file"/> names it in errors.</summary>
    internal static SafeTensorsFile Open(Stream stream, string file)
    {
        try
        {
            return new SafeTensorsFile(stream, file, SafeTensorsHeader.Read(stream, file));
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public bool Contains(string name) => Tensors.ContainsKey(name);

    public SafeTensorInfo Get(string name) =>
        Tensors.TryGetValue(name, out SafeTensorInfo? info) ? info : throw new BadInputException(_file, $"no tensor {Quoting.Quote(name)}");

    /// <summary>An F32, F16 or BF16 tensor, flattened, as float32.</summary>
    public float[] ReadFloats(string name) =>
        Read<float>(name, "F32, F16 or BF16", [DType.Float32, DType.Float16, DType.BFloat16], ElementDecoder.ReadFloats);

    /// <summary>An I32 tensor, or an I64 tensor whose values all fit int32, flattened.</summary>
    public int[] ReadInts(string name) =>
        Read<int>(name, "I32 or I64", [DType.Int32, DType.Int64], (stream, dtype, values) => ElementDecoder.ReadInts(stream, dtype, values,
            (value, index) => new BadInputException(_file, $"value {value} at element {index} of tensor {Quoting.Quote(name)} does not fit int32")));

    /// <summary>An I64 tensor, or an I32 tensor widened, flattened.</summary>
    public long[] ReadLongs(string name) => Read<long>(name, "I32 or I64", [DType.Int32, DType.Int64], ElementDecoder.ReadLongs);

    private delegate void Decode<T>(Stream stream, DType dtype, Span<T> values);

    private T[] Read<T>(string name, string expected, DType[] dtypes, Decode<T> decode)
    {
        SafeTensorInfo info = Get(name);
        RequireDType(info, expected, dtypes);
        var values = new T[ElementCount(info)];
        lock (_stream)
        {
            _stream.Position = _dataStart + info.Begin;
            decode(_stream, info.DType, values);
        }
        return values;
    }

    /// <summary>A tensor's raw little-endian bytes.</summary>
    public byte[] ReadBytes(string name)
    {
        SafeTensorInfo info = Get(name);
        var bytes = new byte[ByteCount(info)];
        lock (_stream)
        {
            _stream.Position = _dataStart + info.Begin;
            _stream.ReadExactly(bytes);
        }

        return bytes;
    }

    public void Dispose() => _stream.Dispose();

    private void RequireDType(SafeTensorInfo info, string expected, params ReadOnlySpan<DType> allowed)
    {
        if (!allowed.Contains(info.DType))
            throw new BadInputException(_file, $"tensor {Quoting.Quote(info.Name)} has dtype {DTypes.SafeTensorsName(info.DType)}, expected {expected}");
    }

    /// <summary>Arrays are indexed by int: a tensor over 2 GiB cannot be read whole.</summary>
    private int ByteCount(SafeTensorInfo info)
    {
        long bytes = info.End - info.Begin;
        if (bytes > int.MaxValue)
            throw new BadInputException(_file, $"tensor {Quoting.Quote(info.Name)} has {bytes} bytes, too many to read into memory at once");
        return (int)bytes;
    }

    private int ElementCount(SafeTensorInfo info) => ByteCount(info) / DTypes.SizeOf(info.DType);
}
