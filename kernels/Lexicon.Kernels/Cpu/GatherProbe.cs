using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// The tuner's probe for the row gathers (<see cref="SparseDecode"/> and <see cref="LatentGrad"/>): how many entries
/// ahead to prefetch a gathered row depends on the machine's memory latency and how many misses a core keeps in
/// flight. A W2-like problem (2048 tokens, k 32 of 6144 latents, d 384: W_dec 9.4 MB), each call after 64 MB of other
/// traffic (in a step, the GEMM and the optimiser have evicted W_dec by then), each distance's best of three calls
/// after one untimed; the winner then has to beat the default again (<see cref="ProbeRounds"/>). Prefetching moves no
/// result bit.
/// </summary>
public static unsafe class GatherProbe
{
    public sealed record Result(int Best, double Seconds, IReadOnlyList<GatherTrial> Trials);

    public const int Rows = 2048, K = 32, D = 384, Latents = 6144;
    private const long EvictFloats = 16L << 20;

    public static Result Run(int[] candidates, int defaultAhead, double seconds)
    {
        var clock = Stopwatch.StartNew();
        var trials = new List<GatherTrial>();
        long floats = 2L * Rows * K + 2L * Rows * D + (long)Latents * D + EvictFloats;
        float* memory = (float*)NativeMemory.AlignedAlloc((nuint)(sizeof(float) * floats), 64);
        int* index = (int*)NativeMemory.AlignedAlloc((nuint)(sizeof(int) * Rows * K), 64);
        try
        {
            float* value = memory, gAct = value + Rows * K, grad = gAct + Rows * K, output = grad + (long)Rows * D;
            float* w = output + (long)Rows * D, evict = w + (long)Latents * D;
            var random = new Random(1);
            for (long i = 0; i < floats - EvictFloats; i++) memory[i] = (float)random.NextDouble();
            new Span<float>(evict, (int)EvictFloats).Clear();
            for (int b = 0; b < Rows; b++)
                for (int j = 0; j < K; j++) index[b * K + j] = random.Next(Latents); // repeats in a row cost nothing here

            double Once(int ahead)
            {
                for (long i = 0; i < EvictFloats; i += 16) evict[i] += 1;
                long start = Stopwatch.GetTimestamp();
                SparseDecode.Run(index, value, Rows, K, w, null, output, D, ahead);
                LatentGrad.Run(index, value, Rows, K, w, grad, D, gAct, ahead);
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            double Time(int ahead)
            {
                Once(ahead);
                double ms = Math.Min(Once(ahead), Math.Min(Once(ahead), Once(ahead)));
                trials.Add(new GatherTrial(ahead, ms));
                return ms;
            }

            int best = defaultAhead;
            double bestMs = Time(best);
            foreach (int ahead in candidates.Where(c => c != defaultAhead))
            {
                if (clock.Elapsed.TotalSeconds > seconds * 0.7) break;
                double ms = Time(ahead);
                if (ms < bestMs) (best, bestMs) = (ahead, ms);
            }
            if (best != defaultAhead && !ProbeRounds.Beats(() => 1 / Once(best), () => 1 / Once(defaultAhead))) best = defaultAhead;
            return new Result(best, clock.Elapsed.TotalSeconds, trials);
        }
        finally
        {
            NativeMemory.AlignedFree(memory);
            NativeMemory.AlignedFree(index);
        }
    }
}
