using System.Buffers.Binary;
using System.Text;
using Lexicon.Data.Formats;

namespace Lexicon.Tests.Formats;

public sealed class SafeTensorsRoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void EveryDTypeRoundTripsWithMetadata()
    {
        float[] matrix = [1, -2, 3.5f, 0, 1e-3f, 65504];
        var writer = new SafeTensorsWriter();
        writer.Metadata["format"] = "pt";
        writer.Metadata["note"] = "é <&> \"quoted\"";
        writer.Add("f32", matrix, [2, 3]);
        writer.Add("f16", [1.5f, -2f, 0.25f, 1024f], [4], DType.Float16);
        writer.Add("bf16", [1.5f, -2f, 0.15625f], [3], DType.BFloat16);
        writer.Add("i32", [1, -2, int.MaxValue, int.MinValue], [2, 2]);
        writer.Add("i64", [1L, -2L, long.MaxValue], [3]);
        writer.Add("empty", ReadOnlySpan<float>.Empty, [0]);
        writer.Add("scalar", [7f], []);
        writer.Add("empty-ids", ReadOnlySpan<long>.Empty, [4, 0]);
        string path = _dir.File("all.safetensors");
        writer.Write(path);

        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        Assert.Equal(["f32", "f16", "bf16", "i32", "i64", "empty", "scalar", "empty-ids"], file.Tensors.Keys);
        Assert.Equal(writer.Metadata, file.Metadata);
        Assert.Equal(matrix, file.ReadFloats("f32"));
        Assert.Equal([1.5f, -2f, 0.25f, 1024f], file.ReadFloats("f16"));
        Assert.Equal([1.5f, -2f, 0.15625f], file.ReadFloats("bf16"));
        Assert.Equal([1, -2, int.MaxValue, int.MinValue], file.ReadInts("i32"));
        Assert.Equal([1L, -2L, int.MaxValue, int.MinValue], file.ReadLongs("i32"));
        Assert.Equal([1L, -2L, long.MaxValue], file.ReadLongs("i64"));
        Assert.Empty(file.ReadFloats("empty"));
        Assert.Equal([7f], file.ReadFloats("scalar"));
        Assert.Empty(file.ReadLongs("empty-ids"));

        SafeTensorInfo scalar = file.Get("scalar");
        Assert.Empty(scalar.Shape);
        Assert.Equal(1, scalar.ElementCount);
        SafeTensorInfo ids = file.Get("i32");
        Assert.Equal((DType.Int32, 4L), (ids.DType, ids.ElementCount));
        Assert.Equal([2L, 2L], ids.Shape);
        Assert.Equal(16, ids.End - ids.Begin);
        Assert.Equal(BitConverter.GetBytes(1).Concat(BitConverter.GetBytes(-2)), file.ReadBytes("i32")[..8]);
        Assert.True(file.Contains("f16"));
        Assert.False(file.Contains("F16"));
    }

    [Fact]
    public void HeaderIsCompactJsonPaddedToEightBytesWithMetadataFirst()
    {
        var writer = new SafeTensorsWriter();
        writer.Add("x", [1f], [1]);
        writer.Metadata["k"] = "v";
        string path = _dir.File("h.safetensors");
        writer.Write(path);

        byte[] bytes = File.ReadAllBytes(path);
        int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(0, length % 8);
        Assert.Equal("{\"__metadata__\":{\"k\":\"v\"},\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            Encoding.UTF8.GetString(bytes, 8, length).TrimEnd(' '));
        Assert.Equal(8 + length + 4, bytes.Length);
    }

    [Fact]
    public void FileWithoutTensorsOrMetadata()
    {
        string path = _dir.File("none.safetensors");
        new SafeTensorsWriter().Write(path);
        Assert.Equal([8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32], File.ReadAllBytes(path));
        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        Assert.Empty(file.Tensors);
        Assert.Empty(file.Metadata);
    }

    [Theory]
    [InlineData(1.0f, 0x3F80)]
    [InlineData(1.00390625f, 0x3F80)]  // 1 + 2^-8: halfway, ties to the even 1.0
    [InlineData(1.01171875f, 0x3F82)]  // 1 + 3·2^-8: halfway, ties to the even 1 + 2^-6
    [InlineData(1.0078125f, 0x3F81)]   // exactly representable
    [InlineData(-0.0f, 0x8000)]
    [InlineData(float.PositiveInfinity, 0x7F80)]
    [InlineData(3.4028235e38f, 0x7F80)] // float.MaxValue rounds up to infinity, as in PyTorch
    public void BFloat16RoundsToNearestEven(float value, int bits) =>
        Assert.Equal((ushort)bits, BFloat16Bits.FromSingle(value));

    [Fact]
    public void BFloat16KeepsNaN() => Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle((uint)BFloat16Bits.FromSingle(float.NaN) << 16)));

    [Fact]
    public void ReadingRejectsTheWrongKindOrRange()
    {
        var writer = new SafeTensorsWriter();
        writer.Add("big", [1L, 5_000_000_000L], [2]);
        writer.Add("f", [1f], [1]);
        string path = _dir.File("r.safetensors");
        writer.Write(path);

        using SafeTensorsFile file = SafeTensorsFile.Open(path);
        TestFiles.AssertRejected(path, "value 5000000000 at element 1 of tensor 'big' does not fit int32", () => file.ReadInts("big"));
        TestFiles.AssertRejected(path, "tensor 'big' has dtype I64, expected F32, F16 or BF16", () => file.ReadFloats("big"));
        TestFiles.AssertRejected(path, "tensor 'f' has dtype F32, expected I32 or I64", () => file.ReadLongs("f"));
        TestFiles.AssertRejected(path, "no tensor 'missing'", () => file.Get("missing"));
        TestFiles.AssertRejected(path, "no tensor 'missing'", () => file.ReadBytes("missing"));
    }

    [Fact]
    public void WriterRejectsCallerMistakes()
    {
        var writer = new SafeTensorsWriter();
        writer.Add("a", [1f, 2f], [2]);
        Assert.Throws<ArgumentException>(() => writer.Add("a", [1f], [1]));
        Assert.Throws<ArgumentException>(() => writer.Add("b", [1f, 2f], [3]));
        Assert.Throws<ArgumentException>(() => writer.Add("c", [1f], [-1]));
        Assert.Throws<ArgumentException>(() => writer.Add("d", [1f], [1], DType.Int32));
        Assert.Throws<ArgumentException>(() => writer.Add("__metadata__", [1], [1]));
    }

    [Fact]
    public void MissingFile()
    {
        string path = _dir.File("absent.safetensors");
        TestFiles.AssertRejected(path, "no such file", () => SafeTensorsFile.Open(path));
    }
}
