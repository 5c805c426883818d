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
        if (dtype == DType.Float32)
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(destination));
            return;
        }

        Span<ushort> chunk = stackalloc ushort[ChunkElements];
        for (int done = 0; done < destination.Length; done += chunk.Length)
        {
            Span<ushort> bits = chunk[..Math.Min(chunk.Length, destination.Length - done)];
            stream.ReadExactly(MemoryMarshal.AsBytes(bits));
            Span<float> target = destination.Slice(done, bits.Length);
            if (dtype == DType.Float16)
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<ushort, Half>(bits), target);
            else
                BFloat16Bits.ToSingle(bits, target);
        }
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

        Span<long> chunk = stackalloc long[ChunkElements];
        for (int done = 0; done < destination.Length; done += chunk.Length)
        {
            Span<long> values = chunk[..Math.Min(chunk.Length, destination.Length - done)];
            stream.ReadExactly(MemoryMarshal.AsBytes(values));
            for (int i = 0; i < values.Length; i++)
            {
                long value = values[i];
                if (value is < int.MinValue or > int.MaxValue)
                    throw outOfRange(value, done + i);
                destination[done + i] = (int)value;
            }
        }
    }

    /// <summary>Reads Int64 values, or Int32 values widened.</summary>
    public static void ReadLongs(Stream stream, DType dtype, Span<long> destination)
    {
        if (dtype == DType.Int64)
        {
            stream.ReadExactly(MemoryMarshal.AsBytes(destination));
            return;
        }

        Span<int> chunk = stackalloc int[ChunkElements];
        for (int done = 0; done < destination.Length; done += chunk.Length)
        {
            Span<int> values = chunk[..Math.Min(chunk.Length, destination.Length - done)];
            stream.ReadExactly(MemoryMarshal.AsBytes(values));
            for (int i = 0; i < values.Length; i++)
                destination[done + i] = values[i];
        }
    }
}
