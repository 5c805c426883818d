using Lexicon.Data.Formats;

namespace Lexicon.Tests.Formats;

public sealed class NpyRoundTripTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 4)]
    [InlineData(7, 3)]
    public void Float32MatrixRoundTrips(int rows, int columns)
    {
        float[] values = Sequence(rows * columns);
        string path = _dir.File("m.npy");
        Npy.Write<float>(path, values, [rows, columns]);

        NpyHeader header = Npy.ReadHeader(path);
        Assert.Equal(DType.Float32, header.DType);
        Assert.Equal([rows, columns], header.Shape);
        Assert.Equal(1, header.Version);
        Assert.Equal(0, header.DataOffset % 64);
        Assert.Equal(rows, header.RowCount);
        Assert.Equal(columns, header.RowLength);
        Assert.Equal(values, Npy.ReadFloats(path));
        Assert.Equal(values, ReadAllRows(path, rows, columns));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(9)]
    public void Float32VectorRoundTripsAsOneColumn(int length)
    {
        float[] values = Sequence(length);
        string path = _dir.File("v.npy");
        Npy.Write<float>(path, values, [length]);

        Assert.Equal([length], Npy.ReadHeader(path).Shape);
        Assert.Equal(values, Npy.ReadFloats(path));
        Assert.Equal(values, ReadAllRows(path, length, 1));
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 3)]
    [InlineData(6, 5)]
    public void Float16MatrixRoundTripsAsFloat32(int rows, int columns)
    {
        float[] values = Sequence(rows * columns);
        Half[] halves = [.. values.Select(v => (Half)v)];
        string path = _dir.File("h.npy");
        Npy.Write<Half>(path, halves, [rows, columns]);

        Assert.Equal(DType.Float16, Npy.ReadHeader(path).DType);
        Assert.Equal(values, Npy.ReadFloats(path));
        Assert.Equal(values, ReadAllRows(path, rows, columns));
    }

    [Fact]
    public void Float16VectorRoundTrips()
    {
        Half[] halves = [(Half)1.5f, (Half)(-2f), Half.MaxValue];
        string path = _dir.File("h1.npy");
        Npy.Write<Half>(path, halves, [3]);
        Assert.Equal([1.5f, -2f, 65504f], Npy.ReadFloats(path));
    }

    [Theory]
    [InlineData(new long[] { 0 })]
    [InlineData(new long[] { 1 })]
    [InlineData(new long[] { 6 })]
    [InlineData(new long[] { 0, 2 })]
    [InlineData(new long[] { 1, 2 })]
    [InlineData(new long[] { 3, 2 })]
    public void IntegersRoundTrip(long[] shape)
    {
        int count = (int)shape.Aggregate(1L, (a, b) => a * b);
        int[] ints = [.. Enumerable.Range(0, count).Select(i => i * 1000 - 7)];
        long[] longs = [.. ints.Select(i => (long)i)];
        string path32 = _dir.File("i4.npy"), path64 = _dir.File("i8.npy");
        Npy.Write<int>(path32, ints, shape);
        Npy.Write<long>(path64, longs, shape);

        Assert.Equal(DType.Int32, Npy.ReadHeader(path32).DType);
        Assert.Equal(DType.Int64, Npy.ReadHeader(path64).DType);
        Assert.Equal(shape, Npy.ReadHeader(path64).Shape);
        Assert.Equal(ints, Npy.ReadInts(path32));
        Assert.Equal(ints, Npy.ReadInts(path64));
    }

    [Fact]
    public void ScalarRoundTrips()
    {
        string path = _dir.File("s.npy");
        Npy.Write<float>(path, [42f], []);
        NpyHeader header = Npy.ReadHeader(path);
        Assert.Empty(header.Shape);
        Assert.Equal((1L, 1L, 1L), (header.RowCount, header.RowLength, header.ElementCount));
        Assert.Equal([42f], Npy.ReadFloats(path));
    }

    [Fact]
    public void Int64OutsideInt32IsReportedWithItsRow()
    {
        string path = _dir.File("ids.npy");
        Npy.Write<long>(path, [1, 2, 3, 3_000_000_000], [2, 2]);
        TestFiles.AssertRejected(path, "token id 3000000000 at row 1 does not fit int32", () => Npy.ReadInts(path));
    }

    [Fact]
    public void ReadersRejectTheOtherKindOfData()
    {
        string ints = _dir.File("i.npy"), floats = _dir.File("f.npy");
        Npy.Write<int>(ints, [1], [1]);
        Npy.Write<float>(floats, [1f], [1]);
        TestFiles.AssertRejected(ints, "expected float32 or float16 data, found int32", () => Npy.ReadFloats(ints));
        TestFiles.AssertRejected(floats, "expected int32 or int64 data, found float32", () => Npy.ReadInts(floats));
        TestFiles.AssertRejected(ints, "expected a float32 or float16 matrix, found int32", () => NpyMatrixReader.Open(ints).Dispose());
    }

    [Fact]
    public void MatrixReaderRejectsThreeDimensions()
    {
        string path = _dir.File("t.npy");
        Npy.Write<float>(path, new float[8], [2, 2, 2]);
        TestFiles.AssertRejected(path, "expected a 1-D or 2-D array, found shape (2, 2, 2)", () => NpyMatrixReader.Open(path).Dispose());
    }

    [Fact]
    public void MatrixReaderRejectsZeroColumns()
    {
        // numpy allows shape (N, 0), but then N is not bounded by the file size and row loops could run forever.
        string path = _dir.File("z.npy");
        Npy.Write<float>(path, [], [1_000_000_000_000_000, 0]);
        Assert.Empty(Npy.ReadFloats(path));
        TestFiles.AssertRejected(path, "expected at least one column, found shape (1000000000000000, 0)", () => NpyMatrixReader.Open(path).Dispose());
    }

    [Fact]
    public void WriteRejectsAShapeThatDoesNotMatchTheData()
    {
        Assert.Throws<ArgumentException>(() => Npy.Write<float>(_dir.File("x.npy"), new float[5], [2, 3]));
        Assert.Throws<ArgumentException>(() => Npy.Write<double>(_dir.File("x.npy"), new double[1], [1]));
    }

    [Fact]
    public void MatrixReaderReadsRowRangesConcurrently()
    {
        const int rows = 300, columns = 17;
        float[] values = Sequence(rows * columns);
        string path = _dir.File("c.npy");
        Npy.Write<float>(path, values, [rows, columns]);

        using NpyMatrixReader reader = NpyMatrixReader.Open(path);
        Assert.Equal((path, (long)rows, (long)columns, DType.Float32), (reader.Path, reader.Rows, reader.Columns, reader.DType));
        Parallel.For(0, rows, row =>
        {
            var buffer = new float[2 * columns + 1];
            int count = Math.Min(2, rows - row);
            reader.ReadRows(row, count, buffer);
            Assert.Equal(values.AsSpan(row * columns, count * columns).ToArray(), buffer.AsSpan(0, count * columns).ToArray());
        });

        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadRows(rows - 1, 2, new float[2 * columns]));
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadRows(-1, 1, new float[columns]));
        Assert.Throws<ArgumentException>(() => reader.ReadRows(0, 2, new float[columns]));
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.ReadRows(0, 1, new float[columns]));
    }

    [Fact]
    public void MissingFileIsBadInput()
    {
        string path = _dir.File("absent.npy");
        TestFiles.AssertRejected(path, "no such file", () => Npy.ReadHeader(path));
        TestFiles.AssertRejected(path, "no such file", () => NpyMatrixReader.Open(path));
    }

    internal static float[] Sequence(int count) => [.. Enumerable.Range(0, count).Select(i => i * 0.25f - 3f)];

    private static float[] ReadAllRows(string path, long rows, long columns)
    {
        using NpyMatrixReader reader = NpyMatrixReader.Open(path);
        Assert.Equal((rows, columns), (reader.Rows, reader.Columns));
        var values = new float[rows * columns];
        reader.ReadRows(0, (int)rows, values);
        return values;
    }
}
