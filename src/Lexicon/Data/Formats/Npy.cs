using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Lexicon.Data.Formats;

/// <summary>NumPy .npy files (format versions 1.0, 2.0 and 3.0): C-order little-endian float32, float16, int32 and
/// int64 arrays. Readers validate the header against the actual file length before allocating anything.</summary>
public static class Npy
{
    /// <summary>numpy itself writes headers of a few hundred bytes; anything this large is corrupt or hostile.</summary>
    private const int MaxHeaderLength = 1 << 20;

    /// <summary>The whole-array readers are meant for small arrays (token ids, norms), not activations.</summary>
    private const long MaxReadElements = int.MaxValue / 2;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static NpyHeader ReadHeader(string path)
    {
        using FileStream stream = FormatFiles.OpenRead(path);
        return ReadHeader(stream, path);
    }

    /// <summary>Reads and validates the header of the .npy file held by <paramref name="stream"/> (which must be
    /// seekable and contain exactly the file); <paramref name="file"/> names it in errors.</summary>
    internal static NpyHeader ReadHeader(Stream stream, string file)
    {
        long length = stream.Length;
        stream.Position = 0;
        Span<byte> preamble = stackalloc byte[12];
        preamble = preamble[..stream.ReadAtLeast(preamble, preamble.Length, throwOnEndOfStream: false)];
        if (preamble.Length < 6 || !preamble[..6].SequenceEqual(NpyHeaderFormat.Magic))
            throw new BadInputException(file, "not a .npy file (bad magic bytes)");

        if (preamble.Length < 8)
            throw TruncatedPreamble(file, length);
        int major = preamble[6], minor = preamble[7];
        if (major is < 1 or > 3 || minor != 0)
            throw new BadInputException(file, $"unsupported .npy format version {major}.{minor}");
        int prefix = major == 1 ? 10 : 12;
        if (preamble.Length < prefix)
            throw TruncatedPreamble(file, length);

        long headerLength = major == 1
            ? BinaryPrimitives.ReadUInt16LittleEndian(preamble[8..])
            : BinaryPrimitives.ReadUInt32LittleEndian(preamble[8..]);
        if (headerLength > MaxHeaderLength)
            throw new BadInputException(file, $"header length {headerLength} exceeds the 1 MiB limit");
        if (headerLength > length - prefix)
            throw new BadInputException(file, $"truncated header: header length is {headerLength} bytes but only {length - prefix} bytes follow");

        var headerBytes = new byte[headerLength];
        stream.Position = prefix;
        stream.ReadExactly(headerBytes);
        string text = DecodeHeader(headerBytes, major, file);
        if (text.Length == 0 || text[^1] != '\n')
            throw new BadInputException(file, "malformed header: not terminated by a newline");

        (string descr, bool fortranOrder, long[] shape) = NpyDictParser.Parse(text, file);
        DType dtype = ParseDescr(descr, file);
        if (fortranOrder)
            throw new BadInputException(file, "fortran_order arrays are not supported");
        foreach (long dim in shape)
        {
            if (dim < 0)
                throw new BadInputException(file, $"negative dimension {dim} in shape {Shapes.Tuple(shape)}");
        }

        if (!Shapes.TryByteCount(shape, DTypes.SizeOf(dtype), out _, out long dataBytes))
            throw new BadInputException(file, $"shape {Shapes.Tuple(shape)} is too large (its byte size overflows 64 bits)");

        long dataOffset = prefix + headerLength;
        long available = length - dataOffset;
        if (available < dataBytes)
            throw new BadInputException(file, $"truncated: header says {DescribeValues(dtype, shape)} ({dataBytes} bytes) but only {available} bytes follow");
        if (available > dataBytes)
            throw new BadInputException(file, $"{available - dataBytes} trailing bytes after the data");
        return new NpyHeader(dtype, shape, dataOffset, major);
    }

    /// <summary>Writes a C-order array exactly as <c>np.save</c> does (format 1.0, 2.0 only for huge headers).
    /// <typeparamref name="T"/> must be float, Half, int or long.</summary>
    public static void Write<T>(string path, ReadOnlySpan<T> data, ReadOnlySpan<long> shape) where T : unmanaged
    {
        DType dtype = typeof(T) == typeof(float) ? DType.Float32
            : typeof(T) == typeof(Half) ? DType.Float16
            : typeof(T) == typeof(int) ? DType.Int32
            : typeof(T) == typeof(long) ? DType.Int64
            : throw new ArgumentException($"cannot write {typeof(T).Name} values to .npy; use float, Half, int or long", nameof(data));
        if (!Shapes.TryByteCount(shape, DTypes.SizeOf(dtype), out long elements, out _) || elements != data.Length)
            throw new ArgumentException($"shape {Shapes.Tuple(shape)} does not hold exactly {data.Length} values", nameof(shape));

        byte[] header = NpyHeaderFormat.Numpy(dtype, shape);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        stream.Write(header);
        stream.Write(MemoryMarshal.AsBytes(data));
    }

    /// <summary>Reads a whole small float32 or float16 array, flattened, as float32.</summary>
    public static float[] ReadFloats(string path)
    {
        using FileStream stream = FormatFiles.OpenRead(path);
        return ReadFloats(stream, path);
    }

    internal static float[] ReadFloats(Stream stream, string file) =>
        Read<float>(stream, file, "float32 or float16", [DType.Float32, DType.Float16], (_, dtype, values) => ElementDecoder.ReadFloats(stream, dtype, values));

    /// <summary>Reads a whole small int32 or int64 array (e.g. token ids), flattened; int64 values must fit int32.</summary>
    public static int[] ReadInts(string path)
    {
        using FileStream stream = FormatFiles.OpenRead(path);
        return ReadInts(stream, path);
    }

    internal static int[] ReadInts(Stream stream, string file) =>
        Read<int>(stream, file, "int32 or int64", [DType.Int32, DType.Int64], (header, dtype, values) => ElementDecoder.ReadInts(stream, dtype, values,
            (value, index) => new BadInputException(file, $"token id {value} at row {index / header.RowLength} does not fit int32")));

    private delegate void Decode<T>(NpyHeader header, DType dtype, Span<T> values);

    private static T[] Read<T>(Stream stream, string file, string expected, DType[] dtypes, Decode<T> decode)
    {
        NpyHeader header = ReadHeader(stream, file);
        if (Array.IndexOf(dtypes, header.DType) < 0)
            throw new BadInputException(file, $"expected {expected} data, found {DTypes.Name(header.DType)}");
        var values = new T[SmallElementCount(header, file)];
        stream.Position = header.DataOffset;
        decode(header, header.DType, values);
        return values;
    }

    private static BadInputException TruncatedPreamble(string file, long length) =>
        new(file, $"truncated: the file ends after {length} bytes, inside the .npy preamble");

    private static int SmallElementCount(NpyHeader header, string file)
    {
        long count = header.ElementCount;
        if (count > MaxReadElements)
            throw new BadInputException(file, $"{count} values are too many to read into memory at once (at most {MaxReadElements})");
        return (int)count;
    }

    /// <summary>Versions 1.0 and 2.0 headers are latin-1, version 3.0 headers UTF-8.</summary>
    private static string DecodeHeader(byte[] bytes, int major, string file)
    {
        if (major < 3)
            return Encoding.Latin1.GetString(bytes);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new BadInputException(file, "header is not valid utf-8");
        }
    }

    private static DType ParseDescr(string descr, string file)
    {
        if (DTypes.TryParseNpyDescr(descr, out DType dtype))
            return dtype;
        if (descr.StartsWith('>') && DTypes.TryParseNpyDescr("<" + descr[1..], out _))
            throw new BadInputException(file, "big-endian data is not supported");
        throw new BadInputException(file, $"unsupported dtype {Quoting.Quote(descr)}");
    }

    /// <summary>"4096 rows of 64 float16 values", "10 int64 values" or "shape (2, 3, 4) of float32 values".</summary>
    private static string DescribeValues(DType dtype, long[] shape) => shape.Length switch
    {
        1 => $"{shape[0]} {DTypes.Name(dtype)} values",
        2 => $"{shape[0]} rows of {shape[1]} {DTypes.Name(dtype)} values",
        _ => $"shape {Shapes.Tuple(shape)} of {DTypes.Name(dtype)} values",
    };
}
