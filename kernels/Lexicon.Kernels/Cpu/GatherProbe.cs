using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// The tuner's probe for the kernels that gather rows: how far ahead to prefetch a gathered row depends on the
/// machine's memory latency, how many misses a core keeps in flight and how well its own prefetchers follow the rows.
/// Two distances, each on a W2-like problem (2048 tokens, k 32 of 6144 latents, d 384: W_dec 9.4 MB, grad and xc 3 MB
/// each), each call after 64 MB of other traffic (in a step, the GEMM and the optimiser have evicted them by then):
/// the row gathers' (<see cref="SparseDecode"/> + <see cref="LatentGrad"/>, which TableGather and TableGrads share),
/// and <see cref="SparseWeightGrads"/>' (whose rows come in token order, which hardware prefetchers may follow alone).
/// Each distance's best of three calls after one untimed (one where only one fits), tried while its calls fit in the
/// budget; the winner must beat the default again (<see cref="ProbeRounds"/>). Prefetching moves no result bit.
/// </summary>
public static unsafe class GatherProbe
{
    public sealed record Result(int Gather, IReadOnlyList<GatherTrial> GatherTrials, int WeightGrad, IReadOnlyList<GatherTrial> WeightGradTrials,
        double Seconds);

    public const int Rows = 2048, K = 32, D = 384, Latents = 6144;
    private const long EvictFloats = 16L << 20;

    /// <param name="gatherCandidates">The row gathers' distances (the default, <see cref="Simd.PrefetchDistance"/>, first tried).</param>
    /// <param name="weightGradCandidates">SparseWeightGrads' (its default, none, first tried).</param>
    public static Result Run(int[] gatherCandidates, int[] weightGradCandidates, double seconds)
    {
        var clock = Stopwatch.StartNew();
        long entries = (long)Rows * K;
        long floats = 2 * entries + 2L * Rows * D + 3L * Latents * D + Latents + EvictFloats;
        float* memory = (float*)NativeMemory.AlignedAlloc((nuint)(sizeof(float) * floats), 64);
        int* ints = (int*)NativeMemory.AlignedAlloc((nuint)(sizeof(int) * (2 * entries + Latents + 1)), 64);
        try
        {
            float* value = memory, gAct = value + entries, grad = gAct + entries, xc = grad + (long)Rows * D;
            float* w = xc + (long)Rows * D, dWEnc = w + (long)Latents * D, dWDec = dWEnc + (long)Latents * D;
            float* dBEnc = dWDec + (long)Latents * D, evict = dBEnc + Latents, output = dWEnc; // decode's output: scratch
            int* index = ints, order = index + entries, start = order + entries;
            var random = new Random(1);
            for (long i = 0; i < dWEnc - memory; i++) memory[i] = (float)random.NextDouble(); // the inputs; outputs need none
            new Span<float>(evict, (int)EvictFloats).Clear();
            for (int b = 0; b < Rows; b++)
                for (int j = 0; j < K; j++) index[b * K + j] = random.Next(Latents); // repeats in a row cost nothing here
            GroupByRow.Run(index, (int)entries, Latents, start, order);

            double lastCall = 0; // seconds of the latest call with its eviction: what the next is predicted to take
            double Timed(Action call)
            {
                long evicting = Stopwatch.GetTimestamp();
                for (long i = 0; i < EvictFloats; i += 16) evict[i] += 1;
                long begin = Stopwatch.GetTimestamp();
                call();
                lastCall = Stopwatch.GetElapsedTime(evicting).TotalSeconds;
                return Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            }

            bool Fits(int calls, double until) => clock.Elapsed.TotalSeconds + calls * lastCall <= until;

            var (gather, gatherTrials) = Tune(gatherCandidates, seconds * 0.45, ahead => Timed(() =>
            {
                SparseDecode.Run(index, value, Rows, K, w, null, output, D, ahead);
                LatentGrad.Run(index, value, Rows, K, w, grad, D, gAct, ahead);
            }));
            var (weightGrad, weightGradTrials) = Tune(weightGradCandidates, seconds * 0.85, ahead => Timed(() =>
                SparseWeightGrads.Run(start, order, value, gAct, Rows, K, 0, grad, null, xc, D, Latents, dWEnc, dBEnc, dWDec, ahead)));
            return new Result(gather, gatherTrials, weightGrad, weightGradTrials, clock.Elapsed.TotalSeconds);

            // candidates[0] is the default; each other is tried while its four calls fit before the phase's end, and a
            // winner's rematch with the default (2 × rounds calls) only where it fits in the budget.
            (int Best, List<GatherTrial> Trials) Tune(int[] candidates, double until, Func<int, double> once)
            {
                var trials = new List<GatherTrial>();
                double Time(int ahead)
                {
                    once(ahead);
                    double ms = once(ahead);
                    if (Fits(2, until)) ms = Math.Min(ms, Math.Min(once(ahead), once(ahead))); // else one call is all there is time for
                    trials.Add(new GatherTrial(ahead, ms));
                    return ms;
                }
                int best = candidates[0];
                double bestMs = Time(best);
                foreach (int ahead in candidates.Skip(1))
                {
                    if (!Fits(4, until)) break;
                    double ms = Time(ahead);
                    if (ms < bestMs) (best, bestMs) = (ahead, ms);
                }
                if (best != candidates[0] && (!Fits(2 * ProbeRounds.Rounds, seconds) || !ProbeRounds.Beats(() => 1 / once(best), () => 1 / once(candidates[0]))))
                    best = candidates[0];
                return (best, trials);
            }
        }
        finally
        {
            NativeMemory.AlignedFree(memory);
            NativeMemory.AlignedFree(ints);
        }
    }
}
