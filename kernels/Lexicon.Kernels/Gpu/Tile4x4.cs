using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Gpu;

/// <summary>A 4 × 4 block of GEMM accumulators held in registers (ILGPU keeps a local struct's fields as scalars):
/// rows come from <c>a</c>, columns from <c>w</c>.</summary>
internal struct Tile4x4
{
    public float C00, C01, C02, C03, C10, C11, C12, C13, C20, C21, C22, C23, C30, C31, C32, C33;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(Float4 a, Float4 w)
    {
        C00 += a.X * w.X; C01 += a.X * w.Y; C02 += a.X * w.Z; C03 += a.X * w.W;
        C10 += a.Y * w.X; C11 += a.Y * w.Y; C12 += a.Y * w.Z; C13 += a.Y * w.W;
        C20 += a.Z * w.X; C21 += a.Z * w.Y; C22 += a.Z * w.Z; C23 += a.Z * w.W;
        C30 += a.W * w.X; C31 += a.W * w.Y; C32 += a.W * w.Z; C33 += a.W * w.W;
    }
}
