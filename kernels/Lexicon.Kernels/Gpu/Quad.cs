using ILGPU;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// One thread's quad of a GEMM slice: 4 consecutive k of one row of a row-major matrix with <c>d</c> columns, read
/// from global memory into registers and written k-major into a shared tile. Quad <c>q</c> of a slice of
/// <c>slice</c> steps covers row <c>first + q / (slice / 4)</c> at <c>k = 4·(q % (slice / 4))</c>. The row's offset
/// and bound are worked out once, so a load in the k loop is one 64-bit add and four reads at immediate offsets.
/// </summary>
internal struct Quad
{
    private readonly long _offset;
    private readonly int _row, _k;
    private readonly bool _rowInside;
    public float V0, V1, V2, V3;

    public Quad(int first, int count, int d, int slice, int q)
    {
        int perRow = slice / 4;
        _row = q / perRow;
        _k = 4 * (q % perRow);
        _rowInside = first + _row < count;
        _offset = (long)(first + _row) * d + _k;
        V0 = V1 = V2 = V3 = 0;
    }

    /// <summary>The quad at slice start <paramref name="k0"/>, zero outside the matrix. Each value is its own
    /// predicated read, with no branch to join: nothing waits for the reads until <see cref="Store"/>, after the
    /// slice's FMAs (a fast path for whole quads made the compiler move the values at the join and stall there).</summary>
    public void Load(ArrayView<float> source, int k0, int d)
    {
        long at = _offset + k0;
        int k = k0 + _k;
        V0 = _rowInside && k < d ? source[at] : 0f;
        V1 = _rowInside && k + 1 < d ? source[at + 1] : 0f;
        V2 = _rowInside && k + 2 < d ? source[at + 2] : 0f;
        V3 = _rowInside && k + 3 < d ? source[at + 3] : 0f;
    }

    /// <summary>Into buffer <paramref name="buffer"/> of a k-major tile whose rows are <paramref name="stride"/> float4s.</summary>
    public readonly void Store(ArrayView<float> tile, int buffer, int slice, int stride)
    {
        int at = (buffer * slice + _k) * stride * 4 + _row, step = stride * 4;
        tile[at] = V0;
        tile[at + step] = V1;
        tile[at + 2 * step] = V2;
        tile[at + 3 * step] = V3;
    }

    /// <summary>As TF32 bits into a row-major tile whose rows are <paramref name="stride"/> values, from
    /// <paramref name="buffer"/> (the tile buffer's first value) on.</summary>
    public readonly void StoreTf32(ArrayView<uint> tile, int buffer, int stride)
    {
        int at = buffer + _row * stride + _k;
        tile[at] = Precisions.Tf32Bits(Interop.FloatAsInt(V0));
        tile[at + 1] = Precisions.Tf32Bits(Interop.FloatAsInt(V1));
        tile[at + 2] = Precisions.Tf32Bits(Interop.FloatAsInt(V2));
        tile[at + 3] = Precisions.Tf32Bits(Interop.FloatAsInt(V3));
    }

    /// <summary>As two words of BF16 pairs (the lower k in the low half) into a row-major tile whose rows are
    /// <paramref name="stride"/> words, from <paramref name="buffer"/> on.</summary>
    public readonly void StoreBf16(ArrayView<uint> tile, int buffer, int stride)
    {
        int at = buffer + _row * stride + _k / 2;
        tile[at] = Precisions.Bf16Bits(Interop.FloatAsInt(V0)) | Precisions.Bf16Bits(Interop.FloatAsInt(V1)) << 16;
        tile[at + 1] = Precisions.Bf16Bits(Interop.FloatAsInt(V2)) | Precisions.Bf16Bits(Interop.FloatAsInt(V3)) << 16;
    }
}
