using Lexicon.Data.Formats;

namespace Lexicon.Tests.Formats;

public sealed class NpyStreamWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(DType.Float32)]
    [InlineData(DType.Float16)]
    public void RowsAppendedInSeveralCallsReadBackThroughTheMatrixReader(DType dtype)
    {
        const int columns = 5;
        float[] values = NpyRoundTripTests.Sequence(10_000 * columns);
        string path = _dir.File("stream.npy");
        using (var writer = new NpyStreamWriter(path, dtype, columns))
        {
            int[] rowCounts = [1, 0, 3, 996, 9000];
            int offset = 0;
            foreach (int rows in rowCounts)
            {
                writer.AppendRows(values.AsSpan(offset, rows * columns));
                offset += rows * columns;
            }

            Assert.Equal(10_000, writer.RowsWritten);
            writer.Complete();
        }

        using NpyMatrixReader reader = NpyMatrixReader.Open(path);
        Assert.Equal((10_000L, 5L, dtype, 128L), (reader.Rows, reader.Columns, reader.DType, reader.Header.DataOffset));
        var all = new float[values.Length];
        reader.ReadRows(0, 10_000, all);
        Assert.Equal(dtype == DType.Float16 ? [.. values.Select(v => (float)(Half)v)] : values, all);
    }

    [Fact]
    public void EmptyArrayIsValid()
    {
        string path = _dir.File("empty.npy");
        using (var writer = new NpyStreamWriter(path, DType.Float16, 64))
            writer.Complete();

        using NpyMatrixReader reader = NpyMatrixReader.Open(path);
        Assert.Equal((0L, 64L), (reader.Rows, reader.Columns));
        reader.ReadRows(0, 0, []);
        Assert.Equal(128, new FileInfo(path).Length);
    }

    [Theory]
    [InlineData(DType.Int32)]
    [InlineData(DType.Int64)]
    public void OneDimensionalIntegers(DType dtype)
    {
        string path = _dir.File("ids.npy");
        using (var writer = new NpyStreamWriter(path, dtype, 1, oneDimensional: true))
        {
            writer.AppendInts([1, -2, 3]);
            writer.AppendInts([int.MaxValue, int.MinValue]);
            writer.Complete();
        }

        NpyHeader header = Npy.ReadHeader(path);
        Assert.Equal((dtype, 128L), (header.DType, header.DataOffset));
        Assert.Equal([5L], header.Shape);
        Assert.Equal([1, -2, 3, int.MaxValue, int.MinValue], Npy.ReadInts(path));
    }

    [Fact]
    public void TwoDimensionalIntegers()
    {
        string path = _dir.File("pairs.npy");
        using (var writer = new NpyStreamWriter(path, DType.Int64, 2))
        {
            writer.AppendInts([1, 2, 3, 4]);
            writer.Complete();
        }

        Assert.Equal([2L, 2L], Npy.ReadHeader(path).Shape);
        Assert.Equal([1, 2, 3, 4], Npy.ReadInts(path));
    }

    [Fact]
    public void DisposingWithoutCompleteDeletesThePartialFile()
    {
        string path = _dir.File("partial.npy");
        using (var writer = new NpyStreamWriter(path, DType.Float32, 2))
            writer.AppendRows([1f, 2f]);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void CallerMistakesAreArgumentOrStateErrors()
    {
        string path = _dir.File("w.npy");
        Assert.Throws<ArgumentException>(() => new NpyStreamWriter(path, DType.BFloat16, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NpyStreamWriter(path, DType.Float32, 0));
        Assert.Throws<ArgumentException>(() => new NpyStreamWriter(path, DType.Float32, 2, oneDimensional: true));

        using var writer = new NpyStreamWriter(path, DType.Float32, 2);
        Assert.Throws<ArgumentException>(() => writer.AppendRows([1f, 2f, 3f]));
        Assert.Throws<InvalidOperationException>(() => writer.AppendInts([1, 2]));
        writer.Complete();
        Assert.Throws<InvalidOperationException>(() => writer.AppendRows([1f, 2f]));
        Assert.Throws<InvalidOperationException>(writer.Complete);
    }

    [Fact]
    public void HeaderFitsTheLargestShape()
    {
        byte[] header = NpyHeaderFormat.Fixed(DType.Float32, [long.MaxValue, long.MaxValue], 128);
        Assert.Equal(128, header.Length);
        Assert.Equal((byte)'\n', header[^1]);
    }
}
