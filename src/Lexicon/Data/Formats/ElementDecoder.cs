using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Lexicon.Data.Formats;

/// <summary>Reads little-endian elements from a stream into typed arrays, converting through a small stack buffer
/// so that no second copy of a large tensor is ever allocated.</summary>
internal static class ElementDecoder
{
    private const int ChunkElements = 2048;

    /// <summary>Reads <c>destination.Length</c> Float32, Float16 or BFloat16 values at the stream's position.</summary>
    public static void ReadFloats(Stream stream, DType dtype, Span<float> destination)
    {
        if (dtype == DType.Float32) stream.ReadExactly(MemoryMarshal.AsBytes(destination));
        else if (dtype == DType.Float16)
            ReadChunks<ushort, float>(stream, destination, (bits, target, _) => TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<ushort, Half>(bits), target));
        else ReadChunks<ushort, float>(stream, destination, (bits, target, _) => BFloat16Bits.ToSingle(bits, target));
    }

    /// <summary>Reads Int32 or Int64 values; an Int64 outside the Int32 range is reported by
    /// <paramref name="outOfRange"/> (value, element index).</summary>
    public static void ReadInts(Stream stream, DType dtype, Span<int> destination, Func<long, long, BadInputException> outOfRange)
    {
        if (dtype == DType.Int32)
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(destination));
            return;
        }
        ReadChunks<long, int>(stream, destination, (values, target, done) =>
        {
            for (int i = 0; i < values.Length; i++)
                target[i] = values[i] is >= int.MinValue and <= int.MaxValue ? (int)values[i] : throw outOfRange(values[i], done + i);
        });
    }

    /// <summary>Reads Int64 values, or Int32 values widened.</summary>
    public static void ReadLongs(Stream stream, DType dtype, Span<long> destination)
    {
        if (dtype == DType.Int64) stream.ReadExactly(MemoryMarshal.AsBytes(destination));
        else ReadChunks<int, long>(stream, destination, (values, target, _) =>
        {
            for (int i = 0; i < values.Length; i++) target[i] = values[i];
        });
    }

    private delegate void Convert<TFile, TValue>(ReadOnlySpan<TFile> values, Span<TValue> target, int done);

    /// <summary>Reads the file's elements a chunk at a time into a stack buffer and converts each chunk into place.</summary>
    private static void ReadChunks<TFile, TValue>(Stream stream, Span<TValue> destination, Convert<TFile, TValue> convert) where TFile : unmanaged
    {
        Span<TFile> chunk = stackalloc TFile[ChunkElements];
        for (int done = 0; done < destination.Length; done += chunk.Length)
        {
            Span<TFile> values = chunk[..Math.Min(chunk.Length, destination.Length - done)];
            stream.ReadExactly(MemoryMarshal.AsBytes(values));
            convert(values, destination.Slice(done, values.Length), done);
        }
    }
}
