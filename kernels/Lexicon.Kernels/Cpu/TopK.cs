using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// Per-row top-k without sorting the row. A first SIMD pass takes the maxima of k equal segments of the row: each is a
/// value of the row, so at least k values reach the smallest of them, τ, and every top-k value is ≥ τ. A second pass
/// keeps only the lanes ≥ τ (typically a few percent of the row) as 64-bit keys — the value's bits made monotonic in
/// the high half, the complemented latent in the low half — so that one sort of the few candidates orders them by value
/// descending with ties to the lower latent, and the k largest keys are the selection.
/// </summary>
public static unsafe class TopK
{
    public static void Run(float* pre, int rows, int latents, int k, int* index, float* value)
    {
        CpuParallel.For(rows, 8, (b0, b1) =>
        {
            var keys = new ulong[latents];
            for (int b = b0; b < b1; b++)
            {
                float* row = pre + (long)b * latents;
                int count = Candidates(row, latents, Threshold(row, latents, k), keys);
                var candidates = keys.AsSpan(0, count);
                candidates.Sort();
                int* bestIndex = index + (long)b * k;
                float* bestValue = value + (long)b * k;
                for (int j = 0; j < k; j++)
                {
                    ulong key = candidates[count - 1 - j];
                    bestIndex[j] = (int)~(uint)key;
                    bestValue[j] = row[bestIndex[j]];
                }
            }
        });
    }

    /// <summary>Float bits made to order like the floats (as unsigned integers), shifted high, with ~latent low.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Key(float v, int latent)
    {
        uint bits = BitConverter.SingleToUInt32Bits(v);
        bits = (bits & 0x8000_0000) != 0 ? ~bits : bits | 0x8000_0000;
        return (ulong)bits << 32 | ~(uint)latent;
    }

    /// <summary>The smallest of the maxima of k segments of the row (−∞ when the segments would be too short to pay).</summary>
    private static float Threshold(float* row, int latents, int k)
    {
        int segment = latents / k;
        if (segment < 32) return float.NegativeInfinity;
        float threshold = float.PositiveInfinity;
        for (int s = 0; s < k; s++)
        {
            float* start = row + s * segment;
            int length = s == k - 1 ? latents - s * segment : segment;
            var max = Vector512.Create(float.NegativeInfinity);
            int i = 0;
            for (; i <= length - 16; i += 16) max = Vector512.Max(max, Vector512.Load(start + i));
            var half = Vector256.Max(max.GetLower(), max.GetUpper());
            var quarter = Vector128.Max(half.GetLower(), half.GetUpper());
            float m = MathF.Max(MathF.Max(quarter[0], quarter[1]), MathF.Max(quarter[2], quarter[3]));
            for (; i < length; i++) m = MathF.Max(m, start[i]);
            threshold = MathF.Min(threshold, m);
        }
        return threshold;
    }

    /// <summary>Keys of the latents with value ≥ threshold.</summary>
    private static int Candidates(float* row, int latents, float threshold, ulong[] keys)
    {
        int count = 0, i = 0;
        var t = Vector512.Create(threshold);
        for (; i <= latents - 16; i += 16)
        {
            ulong mask = Vector512.GreaterThanOrEqual(Vector512.Load(row + i), t).ExtractMostSignificantBits();
            while (mask != 0)
            {
                int m = i + BitOperations.TrailingZeroCount(mask);
                keys[count++] = Key(row[m], m);
                mask &= mask - 1;
            }
        }
        for (; i < latents; i++)
            if (row[i] >= threshold) keys[count++] = Key(row[i], i);
        return count;
    }
}
