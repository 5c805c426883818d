using System.Buffers.Binary;
using System.Text;

namespace Lexicon.Data.Formats;

/// <summary>Builds .npy preambles (magic, version, header length, header dict) for C-order little-endian arrays.</summary>
internal static class NpyHeaderFormat
{
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>numpy aligns the data section to this many bytes.</summary>
    public const int Alignment = 64;

    /// <summary>numpy reserves room for the first axis to grow to this many digits (numpy ≥ 1.23), so that files
    /// can be appended to in place.</summary>
    private const int GrowthAxisMaxDigits = 21;

    /// <summary>The bytes numpy's <c>np.save</c> writes before the data: version 1.0 unless the header needs more
    /// than 65535 bytes, the dict followed by growth spaces, then padding spaces and '\n' up to a multiple of 64 (a
    /// full 64 spaces when already aligned, as numpy does).</summary>
    public static byte[] Numpy(DType dtype, ReadOnlySpan<long> shape)
    {
        string dict = Dict(dtype, shape);
        if (shape.Length > 0)
            dict += new string(' ', Math.Max(0, GrowthAxisMaxDigits - shape[0].ToString().Length));

        int textLength = dict.Length + 1;
        int prefix = 10;
        int padding = Alignment - (prefix + textLength) % Alignment;
        if (textLength + padding > ushort.MaxValue)
        {
            prefix = 12;
            padding = Alignment - (prefix + textLength) % Alignment;
        }

        return Build(dict, prefix, textLength + padding);
    }

    /// <summary>A version 1.0 preamble of exactly <paramref name="totalLength"/> bytes, so that a streamed file's
    /// header can be rewritten in place once the final shape is known.</summary>
    public static byte[] Fixed(DType dtype, ReadOnlySpan<long> shape, int totalLength)
    {
        string dict = Dict(dtype, shape);
        if (10 + dict.Length + 1 > totalLength)
            throw new InvalidOperationException($"the header for shape {Shapes.Tuple(shape)} needs more than {totalLength} bytes");
        return Build(dict, 10, totalLength - 10);
    }

    private static string Dict(DType dtype, ReadOnlySpan<long> shape) =>
        $"{{'descr': '{DTypes.NpyDescr(dtype)}', 'fortran_order': False, 'shape': {Shapes.Tuple(shape)}, }}";

    /// <summary>Magic, version (1.0 for a 2-byte length field, else 2.0), length, dict, spaces, '\n'.</summary>
    private static byte[] Build(string dict, int prefix, int headerLength)
    {
        var bytes = new byte[prefix + headerLength];
        Magic.CopyTo(bytes);
        bytes[6] = (byte)(prefix == 10 ? 1 : 2);
        if (prefix == 10)
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)headerLength);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)headerLength);
        int written = Encoding.ASCII.GetBytes(dict, bytes.AsSpan(prefix));
        bytes.AsSpan(prefix + written, headerLength - written - 1).Fill((byte)' ');
        bytes[^1] = (byte)'\n';
        return bytes;
    }
}
