using System.Text;
using Lexicon.Data.Formats;

namespace Lexicon.Tests.Formats;

/// <summary>Files laid out exactly as numpy writes them.</summary>
public sealed class NpyCompatibilityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The bytes of numpy 1.26's <c>np.save(f, np.arange(6, dtype='&lt;f4').reshape(2, 3))</c>.</summary>
    private static byte[] NumpyArange6()
    {
        const string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        var bytes = new List<byte> { 0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x01, 0x00 }; // \x93NUMPY, version 1.0
        bytes.AddRange([118, 0]);                                                      // header length, uint16 LE
        bytes.AddRange(Encoding.ASCII.GetBytes(dict));                                 // 59 bytes
        bytes.AddRange(Enumerable.Repeat((byte)' ', 118 - dict.Length - 1));           // growth + alignment padding
        bytes.Add((byte)'\n');                                                         // data starts at byte 128
        bytes.AddRange(TestFiles.Floats(0, 1, 2, 3, 4, 5));
        return [.. bytes];
    }

    [Fact]
    public void ReadsNumpyVersion1File()
    {
        string path = _dir.File("numpy.npy");
        File.WriteAllBytes(path, NumpyArange6());

        NpyHeader header = Npy.ReadHeader(path);
        Assert.Equal((DType.Float32, 128L, 1), (header.DType, header.DataOffset, header.Version));
        Assert.Equal([2L, 3L], header.Shape);
        Assert.Equal([0f, 1, 2, 3, 4, 5], Npy.ReadFloats(path));

        using NpyMatrixReader reader = NpyMatrixReader.Open(path);
        var row = new float[3];
        reader.ReadRows(1, 1, row);
        Assert.Equal([3f, 4, 5], row);
    }

    [Fact]
    public void WritesExactlyWhatNumpyWrites()
    {
        string path = _dir.File("ours.npy");
        Npy.Write<float>(path, [0, 1, 2, 3, 4, 5], [2, 3]);
        Assert.Equal(NumpyArange6(), File.ReadAllBytes(path));
    }

    [Fact]
    public void WritesGrowthSpaceAndAlignmentPaddingLikeNumpy()
    {
        // dict (62) + 20 growth spaces (21 minus the digits of the first dimension) + '\n' + 10 → padded to 128.
        string path = _dir.File("three.npy");
        Npy.Write<float>(path, new float[8], [2, 2, 2]);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(128 + 8 * 4, bytes.Length);
        Assert.Equal(118, bytes[8] | bytes[9] << 8);
        Assert.Equal((byte)'\n', bytes[127]);
        Assert.Equal(new float[8], Npy.ReadFloats(path));
    }

    [Fact]
    public void WritesAWholeBlockOfPaddingWhenAlreadyAligned()
    {
        // numpy pads with 64 - (n % 64) bytes: here n = 10 + 97 + 20 + 1 = 128, so 64 more, not 0.
        string path = _dir.File("aligned.npy");
        Npy.Write<float>(path, new float[100], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 10, 10]);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(182, bytes[8] | bytes[9] << 8);
        Assert.Equal(192 + 400, bytes.Length);
        Assert.Equal(192, Npy.ReadHeader(path).DataOffset);
    }

    [Fact]
    public void WritesVersion2WhenTheHeaderExceeds65535Bytes()
    {
        string path = _dir.File("wide.npy");
        Npy.Write<float>(path, [7f], [.. Enumerable.Repeat(1L, 22_000)]);
        byte[] bytes = File.ReadAllBytes(path);
        long headerLength = BitConverter.ToUInt32(bytes, 8);
        Assert.Equal((2, 0), (bytes[6], bytes[7]));
        Assert.True(headerLength > ushort.MaxValue);
        Assert.Equal(0, (12 + headerLength) % 64);
        Assert.Equal((byte)'\n', bytes[12 + headerLength - 1]);
        Assert.Equal(12 + headerLength + 4, bytes.Length);
    }

    [Fact]
    public void ReadsVersion2File()
    {
        byte[] bytes = TestFiles.BuildNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
            TestFiles.Floats(0, 0, 0, 0, 0, 0), major: 2);
        Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 116, 0, 0, 0], bytes[..12]);
        string path = _dir.File("v2.npy");
        File.WriteAllBytes(path, bytes);

        NpyHeader header = Npy.ReadHeader(path);
        Assert.Equal((DType.Int64, 2, 128L), (header.DType, header.Version, header.DataOffset));
        Assert.Equal([0, 0, 0], Npy.ReadInts(path));
    }

    [Fact]
    public void ReadsVersion3File()
    {
        byte[] bytes = TestFiles.BuildNpy("{\"descr\": \"<f2\", \"fortran_order\": False, \"shape\": (2, 1), }",
            [0x00, 0x3C, 0x00, 0xC0], major: 3); // 1.0 and -2.0 as float16
        string path = _dir.File("v3.npy");
        File.WriteAllBytes(path, bytes);

        NpyHeader header = Npy.ReadHeader(path);
        Assert.Equal((DType.Float16, 3), (header.DType, header.Version));
        Assert.Equal([1f, -2f], Npy.ReadFloats(path));
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")]
    [InlineData("{'shape': (2, 3), 'fortran_order': False, 'descr': '<f4'}")]
    [InlineData("{\"descr\":\"<f4\",\"fortran_order\":False,\"shape\":(2,3,),}")]
    [InlineData("  {  'descr' : '<f4' ,\t'fortran_order' : False , 'shape' : ( 2 , 3 ) }  ")]
    public void AcceptsEveryDictLiteralSpelling(string dict)
    {
        string path = _dir.File("d.npy");
        File.WriteAllBytes(path, TestFiles.BuildNpy(dict, TestFiles.Floats(1, 2, 3, 4, 5, 6)));
        Assert.Equal([2L, 3L], Npy.ReadHeader(path).Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], Npy.ReadFloats(path));
    }

    [Theory]
    [InlineData("()", new long[0], 1)]
    [InlineData("(1,)", new long[] { 1 }, 1)]
    [InlineData("(0, 5)", new long[] { 0, 5 }, 0)]
    [InlineData("(1, 1, 1)", new long[] { 1, 1, 1 }, 1)]
    public void ParsesTuples(string tuple, long[] shape, int values)
    {
        string path = _dir.File("t.npy");
        File.WriteAllBytes(path, TestFiles.BuildNpy($"{{'descr': '<f4', 'fortran_order': False, 'shape': {tuple}, }}",
            new byte[values * 4]));
        Assert.Equal(shape, Npy.ReadHeader(path).Shape);
    }
}
