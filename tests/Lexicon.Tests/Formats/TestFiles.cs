using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Lexicon.Tests.Formats;

/// <summary>Builds format files byte by byte, independently of the writers under test.</summary>
internal static class TestFiles
{
    /// <summary>A .npy file of the given version whose header is <paramref name="dict"/> padded with spaces and a
    /// final '\n' so that the data starts at a multiple of 64, followed by <paramref name="data"/>.</summary>
    public static byte[] BuildNpy(string dict, ReadOnlySpan<byte> data, int major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        byte[] text = major == 3 ? Encoding.UTF8.GetBytes(dict) : Encoding.Latin1.GetBytes(dict);
        int headerLength = (prefix + text.Length + 1 + 63) / 64 * 64 - prefix;
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        if (major == 1)
            bytes.AddRange([(byte)headerLength, (byte)(headerLength >> 8)]);
        else
            bytes.AddRange(BitConverter.GetBytes((uint)headerLength));
        bytes.AddRange(text);
        bytes.AddRange(Enumerable.Repeat((byte)' ', headerLength - text.Length - 1));
        bytes.Add((byte)'\n');
        bytes.AddRange(data.ToArray());
        return [.. bytes];
    }

    public static byte[] Floats(params float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>A safetensors file: the 8-byte length, <paramref name="json"/> padded with spaces to a multiple of 8
    /// as the reference writer does, then <paramref name="data"/>.</summary>
    public static byte[] BuildSafeTensors(string json, ReadOnlySpan<byte> data)
    {
        byte[] text = Encoding.UTF8.GetBytes(json);
        int headerLength = (text.Length + 7) / 8 * 8;
        var bytes = new byte[8 + headerLength + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)headerLength);
        text.CopyTo(bytes, 8);
        bytes.AsSpan(8 + text.Length, headerLength - text.Length).Fill((byte)' ');
        data.CopyTo(bytes.AsSpan(8 + headerLength));
        return bytes;
    }

    /// <summary>Asserts that <paramref name="act"/> rejects <paramref name="file"/> with exactly this problem.</summary>
    public static void AssertRejected(string file, string problem, Action act)
    {
        var error = Assert.Throws<BadInputException>(act);
        Assert.Equal(file, error.File);
        Assert.Equal(problem, error.Problem);
        Assert.Equal($"{file}: {problem}", error.Message);
    }
}
