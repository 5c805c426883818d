using System.Buffers;
using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lexicon.Data.Formats;

/// <summary>Collects tensors in memory and writes them as one safetensors file: the header lists
/// <see cref="Metadata"/> first (when non-empty), then tensors in insertion order, which is also their order in
/// the data buffer; the header is padded with spaces to a multiple of 8 bytes like the reference writer's.</summary>
public sealed class SafeTensorsWriter
{
    private readonly List<(string Name, DType DType, long[] Shape, byte[] Data)> _tensors = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds float data stored as F32, F16 or BF16 (rounded to nearest even).</summary>
    public void Add(string name, ReadOnlySpan<float> data, ReadOnlySpan<long> shape, DType dtype = DType.Float32)
    {
        byte[] bytes = dtype switch
        {
            DType.Float32 => MemoryMarshal.AsBytes(data).ToArray(),
            DType.Float16 => ToHalfBytes(data),
            DType.BFloat16 => ToBFloat16Bytes(data),
            _ => throw new ArgumentException($"{DTypes.Name(dtype)} is not a float dtype", nameof(dtype)),
        };
        AddBytes(name, dtype, data.Length, shape, bytes);
    }

    /// <summary>Adds an I32 tensor.</summary>
    public void Add(string name, ReadOnlySpan<int> data, ReadOnlySpan<long> shape) =>
        AddBytes(name, DType.Int32, data.Length, shape, MemoryMarshal.AsBytes(data).ToArray());

    /// <summary>Adds an I64 tensor.</summary>
    public void Add(string name, ReadOnlySpan<long> data, ReadOnlySpan<long> shape) =>
        AddBytes(name, DType.Int64, data.Length, shape, MemoryMarshal.AsBytes(data).ToArray());

    public void Write(string path)
    {
        byte[] header = Header();
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);
        foreach ((_, _, _, byte[] data) in _tensors)
            stream.Write(data);
    }

    private void AddBytes(string name, DType dtype, int count, ReadOnlySpan<long> shape, byte[] bytes)
    {
        if (name == "__metadata__")
            throw new ArgumentException("__metadata__ is reserved for the metadata", nameof(name));
        if (!Shapes.TryByteCount(shape, DTypes.SizeOf(dtype), out long elements, out _) || elements != count)
            throw new ArgumentException($"shape {Shapes.List(shape)} does not hold exactly {count} values", nameof(shape));
        if (!_names.Add(name))
            throw new ArgumentException($"a tensor named '{name}' was already added", nameof(name));
        _tensors.Add((name, dtype, shape.ToArray(), bytes));
    }

    /// <summary>Compact UTF-8 JSON (non-ASCII kept as is, as serde writes it) padded with spaces to a multiple of 8.</summary>
    private byte[] Header()
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (Metadata.Count > 0)
            {
                writer.WriteStartObject("__metadata__");
                foreach ((string key, string value) in Metadata)
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }

            long offset = 0;
            foreach ((string name, DType dtype, long[] shape, byte[] data) in _tensors)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", DTypes.SafeTensorsName(dtype));
                writer.WriteStartArray("shape");
                foreach (long dim in shape)
                    writer.WriteNumberValue(dim);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(offset + data.Length);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset += data.Length;
            }

            writer.WriteEndObject();
        }

        var header = new byte[(json.WrittenCount + 7) / 8 * 8];
        json.WrittenSpan.CopyTo(header);
        header.AsSpan(json.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static byte[] ToHalfBytes(ReadOnlySpan<float> data)
    {
        var bytes = new byte[data.Length * 2];
        TensorPrimitives.ConvertToHalf(data, MemoryMarshal.Cast<byte, Half>(bytes.AsSpan()));
        return bytes;
    }

    private static byte[] ToBFloat16Bytes(ReadOnlySpan<float> data)
    {
        var bytes = new byte[data.Length * 2];
        Span<ushort> bits = MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan());
        for (int i = 0; i < data.Length; i++)
            bits[i] = BFloat16Bits.FromSingle(data[i]);
        return bytes;
    }
}
