using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Gpu;

/// <summary>One GEMM thread's 8 × 8 accumulators as four 4 × 4 register blocks: rows low/high × columns low/high.</summary>
internal struct Tile8x8
{
    public Tile4x4 LowLow, LowHigh, HighLow, HighHigh;

    /// <summary>One step of k: the outer product of 8 values of a column of xc and 8 of a row of W_encᵀ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(Float4 aLow, Float4 aHigh, Float4 wLow, Float4 wHigh)
    {
        LowLow.Add(aLow, wLow);
        LowHigh.Add(aLow, wHigh);
        HighLow.Add(aHigh, wLow);
        HighHigh.Add(aHigh, wHigh);
    }
}
