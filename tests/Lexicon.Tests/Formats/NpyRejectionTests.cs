using Lexicon.Data.Formats;

namespace Lexicon.Tests.Formats;

public sealed class NpyRejectionTests : IDisposable
{
    private const string ValidDict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Valid() => TestFiles.BuildNpy(ValidDict, new byte[24]);

    private static byte[] WithDict(string dict, int dataBytes = 0) => TestFiles.BuildNpy(dict, new byte[dataBytes]);

    /// <summary>Every reader must reject the file with the same message.</summary>
    private void AssertRejected(byte[] bytes, string problem)
    {
        string path = _dir.File("bad.npy");
        File.WriteAllBytes(path, bytes);
        TestFiles.AssertRejected(path, problem, () => Npy.ReadHeader(path));
        TestFiles.AssertRejected(path, problem, () => Npy.ReadFloats(path));
        TestFiles.AssertRejected(path, problem, () => NpyMatrixReader.Open(path).Dispose());
    }

    [Fact]
    public void BadMagic()
    {
        byte[] bytes = Valid();
        bytes[5] = (byte)'Z';
        AssertRejected(bytes, "not a .npy file (bad magic bytes)");
        AssertRejected([0x93, (byte)'N', (byte)'U'], "not a .npy file (bad magic bytes)");
        AssertRejected([], "not a .npy file (bad magic bytes)");
    }

    [Fact]
    public void TruncatedPreamble() =>
        AssertRejected(Valid()[..9], "truncated: the file ends after 9 bytes, inside the .npy preamble");

    [Theory]
    [InlineData(4, 0)]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    public void UnsupportedVersion(byte major, byte minor)
    {
        byte[] bytes = Valid();
        (bytes[6], bytes[7]) = (major, minor);
        AssertRejected(bytes, $"unsupported .npy format version {major}.{minor}");
    }

    [Fact]
    public void BigEndian() =>
        AssertRejected(WithDict("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", 24), "big-endian data is not supported");

    [Fact]
    public void FortranOrder() =>
        AssertRejected(WithDict("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 24), "fortran_order arrays are not supported");

    [Fact]
    public void TruncatedData() =>
        AssertRejected(WithDict("{'descr': '<f2', 'fortran_order': False, 'shape': (4096, 64), }", 1000),
            "truncated: header says 4096 rows of 64 float16 values (524288 bytes) but only 1000 bytes follow");

    [Fact]
    public void TruncatedHeader() =>
        AssertRejected(Valid()[..50], "truncated header: header length is 118 bytes but only 40 bytes follow");

    [Fact]
    public void TrailingBytes() =>
        AssertRejected([.. Valid(), 1, 2, 3], "3 trailing bytes after the data");

    [Fact]
    public void ShapeOverflow() =>
        AssertRejected(WithDict("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }"),
            "shape (4611686018427387904, 4) is too large (its byte size overflows 64 bits)");

    [Fact]
    public void DimensionBeyondInt64() =>
        AssertRejected(WithDict("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }"),
            "malformed header: dimension '99999999999999999999' does not fit a 64-bit integer");

    [Fact]
    public void NegativeDimension() =>
        AssertRejected(WithDict("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 3), }"), "negative dimension -1 in shape (-1, 3)");

    [Theory]
    [InlineData("<c8")]
    [InlineData("<f8")]
    [InlineData("|u1")]
    [InlineData("=f4")]
    [InlineData("")]
    public void UnsupportedDType(string descr) =>
        AssertRejected(WithDict($"{{'descr': '{descr}', 'fortran_order': False, 'shape': (0,), }}"), $"unsupported dtype '{descr}'");

    [Fact]
    public void HeaderOverOneMebibyte()
    {
        byte[] bytes = Valid();
        byte[] v2 = [.. bytes[..8], 0, 0, 0x20, 0, .. new byte[64]];
        v2[6] = 2;
        AssertRejected(v2, "header length 2097152 exceeds the 1 MiB limit");
    }

    [Fact]
    public void HeaderWithoutFinalNewline()
    {
        byte[] bytes = Valid();
        bytes[127] = (byte)' ';
        AssertRejected(bytes, "malformed header: not terminated by a newline");
    }

    [Fact]
    public void Version3HeaderThatIsNotUtf8()
    {
        byte[] bytes = TestFiles.BuildNpy(ValidDict, new byte[24], major: 3);
        bytes[100] = 0xFF;
        AssertRejected(bytes, "header is not valid utf-8");
    }

    [Theory]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (5), }", "shape at offset 50 is not a tuple")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, }", "missing key 'shape'")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), 'extra': 1}", "unexpected key 'extra'")]
    [InlineData("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (5,)}", "duplicate key 'descr'")]
    [InlineData("{'descr': '<f4', 'fortran_order': false, 'shape': (5,)}", "expected True or False at offset 34")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': [5]}", "expected '(' at offset 50")]
    [InlineData("{'descr': '<f4' 'fortran_order': False, 'shape': (5,)}", "expected ',' at offset 16")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (5,)} x", "unexpected text after the dictionary at offset 56")]
    [InlineData("{'descr': '<f4, 'fortran_order': False, 'shape': (5,)}", "expected ',' at offset 17")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (5,,)}", "expected an integer at offset 53")]
    [InlineData("{'descr': '<f4', 'fortran_order': False, 'shape': (5,", "expected an integer at offset 54")] // the end of the text, after the final newline
    [InlineData("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (5,)}", "expected a string at offset 10")]
    public void MalformedHeader(string dict, string problem) =>
        AssertRejected(WithDict(dict), "malformed header: " + problem);

    [Fact]
    public void TooManyDimensions() =>
        AssertRejected(WithDict($"{{'descr': '<f4', 'fortran_order': False, 'shape': ({string.Join(", ", Enumerable.Repeat("1", 65))}), }}"),
            "malformed header: shape has more than 64 dimensions");

    [Fact]
    public void TruncatedStreamedFile()
    {
        string path = _dir.File("cut.npy");
        using (var writer = new NpyStreamWriter(path, DType.Float32, 4))
        {
            writer.AppendRows(new float[12]);
            writer.Complete();
        }

        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^4]);
        TestFiles.AssertRejected(path, "truncated: header says 3 rows of 4 float32 values (48 bytes) but only 44 bytes follow",
            () => NpyMatrixReader.Open(path));
    }

    [Fact]
    public void TheUnmutatedFileIsAccepted()
    {
        string path = _dir.File("ok.npy");
        File.WriteAllBytes(path, Valid());
        Assert.Equal(new float[6], Npy.ReadFloats(path));
    }
}
