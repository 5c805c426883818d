using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lexicon.Kernels.Cpu;

/// <summary>Rows of the GEMM's register tile, as a type, so the JIT compiles one micro-kernel per height with the unused
/// rows' code removed (one source for every height: rows past <see cref="Value"/> sit behind constant-false tests).</summary>
public interface IGemmRows
{
    static abstract int Value { get; }
}

public readonly struct Rows4 : IGemmRows { public static int Value => 4; }
public readonly struct Rows6 : IGemmRows { public static int Value => 6; }
public readonly struct Rows8 : IGemmRows { public static int Value => 8; }
public readonly struct Rows12 : IGemmRows { public static int Value => 12; }
public readonly struct Rows14 : IGemmRows { public static int Value => 14; }

/// <summary>How far ahead of the loads the micro-kernel prefetches the packed weights into L1, in bytes, as a type (0:
/// no prefetch, and no instruction or test left in the loop). Prefetching moves no result bit.</summary>
public interface IGemmPrefetch
{
    static abstract int Bytes { get; }
}

public readonly struct Prefetch0 : IGemmPrefetch { public static int Bytes => 0; }
public readonly struct Prefetch256 : IGemmPrefetch { public static int Bytes => 256; }
public readonly struct Prefetch512 : IGemmPrefetch { public static int Bytes => 512; }
public readonly struct Prefetch1024 : IGemmPrefetch { public static int Bytes => 1024; }
public readonly struct Prefetch2048 : IGemmPrefetch { public static int Bytes => 2048; }

/// <summary>
/// The encoder GEMM's register tile: R rows × 32 latents, computed in strips of R rows × 2 vectors (one strip at 512
/// bits, two at 256, four at 128), 2R accumulators — R ≤ 6 fits the 16 vector registers of AVX2 and SSE, R ≤ 14
/// AVX-512's and NEON's 32. Each output is one FMA chain over d in order, whatever R: the height never changes a bit.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    public const int MaxRows = 14;
    public const int TileLatents = 32;

    /// <summary>Bias, ReLU, stored once (through a scratch tile at the ragged edges), with each valid row's maximum over
    /// the 32 latents written to maxima (stride panels).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    public static void Tile<V, S, R, P>(float* a, float* w, int d, float* bias, float* c, int ldc, int validRows, int validLatents,
        float* maxima, int panels, bool streaming) where V : struct where S : struct, ISimd<V> where R : struct, IGemmRows where P : struct, IGemmPrefetch =>
        Tile<V, S, R, P>(a, w, d, bias, c, ldc, validRows, validLatents, maxima, panels, streaming, null, resume: false, final: true);

    /// <summary>The same over d steps of a longer sum (a depth block): with resume, the accumulators start from partial
    /// (R × 32, row stride 32) rather than 0; unless final, they are stored there as they are, with no bias, ReLU or
    /// maxima. A stored fp32 sum reloads exactly, so blocking d leaves each output the one FMA chain it was.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    public static void Tile<V, S, R, P>(float* a, float* w, int d, float* bias, float* c, int ldc, int validRows, int validLatents,
        float* maxima, int panels, bool streaming, float* partial, bool resume, bool final)
        where V : struct where S : struct, ISimd<V> where R : struct, IGemmRows where P : struct, IGemmPrefetch
    {
        if (!final)
        {
            for (int column = 0; column < TileLatents; column += 2 * S.Count)
                Strip<V, S, R, P>(a, w + column, d, bias + column, partial + column, TileLatents, validRows, maxima, panels, false, column == 0,
                    partial + column, resume, final: false);
            return;
        }
        float* scratch = stackalloc float[MaxRows * TileLatents];
        bool full = validRows == R.Value && validLatents == TileLatents;
        float* dst = full ? c : scratch;
        int ld = full ? ldc : TileLatents;
        bool stream = full && streaming && ((nint)c & 63) == 0;
        for (int column = 0; column < TileLatents; column += 2 * S.Count)
            Strip<V, S, R, P>(a, w + column, d, bias + column, dst + column, ld, validRows, maxima, panels, stream, column == 0,
                partial == null ? null : partial + column, resume, final: true);
        if (full) return;
        for (int r = 0; r < validRows; r++)
            new ReadOnlySpan<float>(scratch + r * TileLatents, validLatents).CopyTo(new Span<float>(c + (long)r * ldc, validLatents));
    }

    /// <summary>Latents [column, column + 2·Count) of the tile (w, bias and dst already offset to the column). With P, the
    /// weights P.Bytes ahead are prefetched each step, one line per 64 bytes the strip loads (past the panel's end that
    /// is the next panel, which the next tile reads). Resume and final as in <see cref="Tile{V, S, R, P}(float*, float*, int,
    /// float*, float*, int, int, int, float*, int, bool, float*, bool, bool)"/>, partial offset to the column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Strip<V, S, R, P>(float* a, float* w, int d, float* bias, float* dst, int ld, int validRows, float* maxima, int panels,
        bool stream, bool first, float* partial, bool resume, bool final)
        where V : struct where S : struct, ISimd<V> where R : struct, IGemmRows where P : struct, IGemmPrefetch
    {
        int n = S.Count, rows = R.Value;
        bool prefetch = P.Bytes > 0 && Sse.IsSupported, secondLine = 2 * n * sizeof(float) > 64;
        V c0_0 = S.Zero, c0_1 = S.Zero, c1_0 = S.Zero, c1_1 = S.Zero;
        V c2_0 = S.Zero, c2_1 = S.Zero, c3_0 = S.Zero, c3_1 = S.Zero;
        V c4_0 = S.Zero, c4_1 = S.Zero, c5_0 = S.Zero, c5_1 = S.Zero;
        V c6_0 = S.Zero, c6_1 = S.Zero, c7_0 = S.Zero, c7_1 = S.Zero;
        V c8_0 = S.Zero, c8_1 = S.Zero, c9_0 = S.Zero, c9_1 = S.Zero;
        V c10_0 = S.Zero, c10_1 = S.Zero, c11_0 = S.Zero, c11_1 = S.Zero;
        V c12_0 = S.Zero, c12_1 = S.Zero, c13_0 = S.Zero, c13_1 = S.Zero;
        if (resume)
        {
            { c0_0 = S.Load(partial + 0 * TileLatents); c0_1 = S.Load(partial + 0 * TileLatents + n); }
            { c1_0 = S.Load(partial + 1 * TileLatents); c1_1 = S.Load(partial + 1 * TileLatents + n); }
            { c2_0 = S.Load(partial + 2 * TileLatents); c2_1 = S.Load(partial + 2 * TileLatents + n); }
            { c3_0 = S.Load(partial + 3 * TileLatents); c3_1 = S.Load(partial + 3 * TileLatents + n); }
            if (rows > 4) { c4_0 = S.Load(partial + 4 * TileLatents); c4_1 = S.Load(partial + 4 * TileLatents + n); }
            if (rows > 5) { c5_0 = S.Load(partial + 5 * TileLatents); c5_1 = S.Load(partial + 5 * TileLatents + n); }
            if (rows > 6) { c6_0 = S.Load(partial + 6 * TileLatents); c6_1 = S.Load(partial + 6 * TileLatents + n); }
            if (rows > 7) { c7_0 = S.Load(partial + 7 * TileLatents); c7_1 = S.Load(partial + 7 * TileLatents + n); }
            if (rows > 8) { c8_0 = S.Load(partial + 8 * TileLatents); c8_1 = S.Load(partial + 8 * TileLatents + n); }
            if (rows > 9) { c9_0 = S.Load(partial + 9 * TileLatents); c9_1 = S.Load(partial + 9 * TileLatents + n); }
            if (rows > 10) { c10_0 = S.Load(partial + 10 * TileLatents); c10_1 = S.Load(partial + 10 * TileLatents + n); }
            if (rows > 11) { c11_0 = S.Load(partial + 11 * TileLatents); c11_1 = S.Load(partial + 11 * TileLatents + n); }
            if (rows > 12) { c12_0 = S.Load(partial + 12 * TileLatents); c12_1 = S.Load(partial + 12 * TileLatents + n); }
            if (rows > 13) { c13_0 = S.Load(partial + 13 * TileLatents); c13_1 = S.Load(partial + 13 * TileLatents + n); }
        }
        for (int i = 0; i < d; i++)
        {
            if (prefetch)
            {
                Sse.Prefetch0(w + P.Bytes / sizeof(float));
                if (secondLine) Sse.Prefetch0(w + P.Bytes / sizeof(float) + 16);
            }
            var w0 = S.Load(w);
            var w1 = S.Load(w + n);
            { var a0 = S.Create(a[0]); c0_0 = S.Fma(a0, w0, c0_0); c0_1 = S.Fma(a0, w1, c0_1); }
            { var a1 = S.Create(a[1]); c1_0 = S.Fma(a1, w0, c1_0); c1_1 = S.Fma(a1, w1, c1_1); }
            { var a2 = S.Create(a[2]); c2_0 = S.Fma(a2, w0, c2_0); c2_1 = S.Fma(a2, w1, c2_1); }
            { var a3 = S.Create(a[3]); c3_0 = S.Fma(a3, w0, c3_0); c3_1 = S.Fma(a3, w1, c3_1); }
            if (rows > 4) { var a4 = S.Create(a[4]); c4_0 = S.Fma(a4, w0, c4_0); c4_1 = S.Fma(a4, w1, c4_1); }
            if (rows > 5) { var a5 = S.Create(a[5]); c5_0 = S.Fma(a5, w0, c5_0); c5_1 = S.Fma(a5, w1, c5_1); }
            if (rows > 6) { var a6 = S.Create(a[6]); c6_0 = S.Fma(a6, w0, c6_0); c6_1 = S.Fma(a6, w1, c6_1); }
            if (rows > 7) { var a7 = S.Create(a[7]); c7_0 = S.Fma(a7, w0, c7_0); c7_1 = S.Fma(a7, w1, c7_1); }
            if (rows > 8) { var a8 = S.Create(a[8]); c8_0 = S.Fma(a8, w0, c8_0); c8_1 = S.Fma(a8, w1, c8_1); }
            if (rows > 9) { var a9 = S.Create(a[9]); c9_0 = S.Fma(a9, w0, c9_0); c9_1 = S.Fma(a9, w1, c9_1); }
            if (rows > 10) { var a10 = S.Create(a[10]); c10_0 = S.Fma(a10, w0, c10_0); c10_1 = S.Fma(a10, w1, c10_1); }
            if (rows > 11) { var a11 = S.Create(a[11]); c11_0 = S.Fma(a11, w0, c11_0); c11_1 = S.Fma(a11, w1, c11_1); }
            if (rows > 12) { var a12 = S.Create(a[12]); c12_0 = S.Fma(a12, w0, c12_0); c12_1 = S.Fma(a12, w1, c12_1); }
            if (rows > 13) { var a13 = S.Create(a[13]); c13_0 = S.Fma(a13, w0, c13_0); c13_1 = S.Fma(a13, w1, c13_1); }
            a += rows;
            w += TileLatents;
        }
        if (!final)
        {
            { S.Store(c0_0, partial + 0 * TileLatents); S.Store(c0_1, partial + 0 * TileLatents + n); }
            { S.Store(c1_0, partial + 1 * TileLatents); S.Store(c1_1, partial + 1 * TileLatents + n); }
            { S.Store(c2_0, partial + 2 * TileLatents); S.Store(c2_1, partial + 2 * TileLatents + n); }
            { S.Store(c3_0, partial + 3 * TileLatents); S.Store(c3_1, partial + 3 * TileLatents + n); }
            if (rows > 4) { S.Store(c4_0, partial + 4 * TileLatents); S.Store(c4_1, partial + 4 * TileLatents + n); }
            if (rows > 5) { S.Store(c5_0, partial + 5 * TileLatents); S.Store(c5_1, partial + 5 * TileLatents + n); }
            if (rows > 6) { S.Store(c6_0, partial + 6 * TileLatents); S.Store(c6_1, partial + 6 * TileLatents + n); }
            if (rows > 7) { S.Store(c7_0, partial + 7 * TileLatents); S.Store(c7_1, partial + 7 * TileLatents + n); }
            if (rows > 8) { S.Store(c8_0, partial + 8 * TileLatents); S.Store(c8_1, partial + 8 * TileLatents + n); }
            if (rows > 9) { S.Store(c9_0, partial + 9 * TileLatents); S.Store(c9_1, partial + 9 * TileLatents + n); }
            if (rows > 10) { S.Store(c10_0, partial + 10 * TileLatents); S.Store(c10_1, partial + 10 * TileLatents + n); }
            if (rows > 11) { S.Store(c11_0, partial + 11 * TileLatents); S.Store(c11_1, partial + 11 * TileLatents + n); }
            if (rows > 12) { S.Store(c12_0, partial + 12 * TileLatents); S.Store(c12_1, partial + 12 * TileLatents + n); }
            if (rows > 13) { S.Store(c13_0, partial + 13 * TileLatents); S.Store(c13_1, partial + 13 * TileLatents + n); }
            return;
        }

        var b0 = S.Load(bias);
        var b1 = S.Load(bias + n);
        // Padded latents come out as ReLU(0 + 0) = 0, which never exceeds a panel's real maximum (all values are ≥ 0).
        Row<V, S>(dst + 0 * ld, c0_0, c0_1, b0, b1, stream, maxima, 0 * panels, validRows > 0, first);
        Row<V, S>(dst + 1 * ld, c1_0, c1_1, b0, b1, stream, maxima, 1 * panels, validRows > 1, first);
        Row<V, S>(dst + 2 * ld, c2_0, c2_1, b0, b1, stream, maxima, 2 * panels, validRows > 2, first);
        Row<V, S>(dst + 3 * ld, c3_0, c3_1, b0, b1, stream, maxima, 3 * panels, validRows > 3, first);
        if (rows > 4) Row<V, S>(dst + 4 * ld, c4_0, c4_1, b0, b1, stream, maxima, 4 * panels, validRows > 4, first);
        if (rows > 5) Row<V, S>(dst + 5 * ld, c5_0, c5_1, b0, b1, stream, maxima, 5 * panels, validRows > 5, first);
        if (rows > 6) Row<V, S>(dst + 6 * ld, c6_0, c6_1, b0, b1, stream, maxima, 6 * panels, validRows > 6, first);
        if (rows > 7) Row<V, S>(dst + 7 * ld, c7_0, c7_1, b0, b1, stream, maxima, 7 * panels, validRows > 7, first);
        if (rows > 8) Row<V, S>(dst + 8 * ld, c8_0, c8_1, b0, b1, stream, maxima, 8 * panels, validRows > 8, first);
        if (rows > 9) Row<V, S>(dst + 9 * ld, c9_0, c9_1, b0, b1, stream, maxima, 9 * panels, validRows > 9, first);
        if (rows > 10) Row<V, S>(dst + 10 * ld, c10_0, c10_1, b0, b1, stream, maxima, 10 * panels, validRows > 10, first);
        if (rows > 11) Row<V, S>(dst + 11 * ld, c11_0, c11_1, b0, b1, stream, maxima, 11 * panels, validRows > 11, first);
        if (rows > 12) Row<V, S>(dst + 12 * ld, c12_0, c12_1, b0, b1, stream, maxima, 12 * panels, validRows > 12, first);
        if (rows > 13) Row<V, S>(dst + 13 * ld, c13_0, c13_1, b0, b1, stream, maxima, 13 * panels, validRows > 13, first);
    }

    /// <summary>Max(x, +0) with NaN kept, the same bits as S.Max(x, S.Zero) in one instruction rather than the 7–9 of an
    /// IEEE maximum emulated on x86. x is a sum onto +0 (the accumulator starts there, then the bias), so it is never −0,
    /// the one input where the native maximum differs: x86's returns its second operand when either is NaN, Arm's
    /// propagates NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Relu<V, S>(V x) where V : struct where S : struct, ISimd<V> => S.MaxNative(S.Zero, x);

    /// <summary>S.Max(l, h), bit for bit, for ReLU outputs (never −0): l where l is NaN, else the native maximum — which
    /// returns h when either is NaN on x86, and propagates NaN on Arm. 3 instructions instead of x86's 7–9.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V MaxOfRelus<V, S>(V l, V h) where V : struct where S : struct, ISimd<V> =>
        S.Select(S.Not(S.Equals(l, l)), l, S.MaxNative(l, h));

    /// <summary>One row of a strip: bias, ReLU, store (streaming or not), and its maximum into the row's panel maximum —
    /// written by the first strip, raised by later ones (x86 max order, as the lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<V, S>(float* dst, V lo, V hi, V b0, V b1, bool stream, float* maxima, int offset, bool valid, bool first)
        where V : struct where S : struct, ISimd<V>
    {
        var l = Relu<V, S>(S.Add(lo, b0));
        var h = Relu<V, S>(S.Add(hi, b1));
        if (stream)
        {
            S.StoreStreaming(l, dst);
            S.StoreStreaming(h, dst + S.Count);
        }
        else
        {
            S.Store(l, dst);
            S.Store(h, dst + S.Count);
        }
        if (maxima == null || !valid) return;
        float m = S.HorizontalMax(MaxOfRelus<V, S>(l, h));
        float* maximum = maxima + offset;
        if (first)
        {
            *maximum = m;
            return;
        }
        // m > old ? m : old without a branch: which is larger is data, so a branch on it mispredicts about half the time
        // (a row per strip after the first, at 256 bits and narrower).
        var mv = Vector128.CreateScalarUnsafe(m);
        var old = Vector128.CreateScalarUnsafe(*maximum);
        *maximum = Vector128.ConditionalSelect(Vector128.GreaterThan(mv, old), mv, old).ToScalar();
    }
}
