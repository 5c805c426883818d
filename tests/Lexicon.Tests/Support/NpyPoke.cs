using Lexicon.Data.Formats;

namespace Lexicon.Tests.Support;

/// <summary>Overwrites one value of a float32 [rows, d] .npy file in place (to plant a NaN, say).</summary>
public static class NpyPoke
{
    public static void Float(string path, long row, int column, float value)
    {
        var header = Npy.ReadHeader(path);
        long offset = header.DataOffset + (row * header.Shape[1] + column) * sizeof(float);
        using var f = File.OpenWrite(path);
        f.Position = offset;
        f.Write(BitConverter.GetBytes(value));
    }
}
