using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// The tuner's timed probe: the encoder GEMM (with the panel maxima, as EncodeTopK runs it) on a W2-like problem of
/// ~2 GFLOP (504 tokens — a multiple of every tile height — d 512, 4096 latents), first over the tile heights at the
/// default block, then over the depth blocks, the block sizes and the prefetch distances, each from the best so far;
/// each candidate's best of three timed calls after one untimed (its JIT and first touch). A candidate is tried
/// only while its four calls fit in its phase's share of the budget, and the winner has to beat the defaults again
/// (<see cref="ProbeRounds"/>) within what is left, else the defaults stand. On a machine too slow for ~40 calls of the
/// full problem in the budget (a forced scalar or emulated width, an emulator) the problem has fewer latents
/// (<see cref="LatentsFor"/>), so the budget holds whatever the machine.
/// </summary>
public static unsafe class GemmProbe
{
    /// <param name="Latents">The probed problem's latents (<see cref="Latents"/> unless the machine is too slow for it).</param>
    public sealed record Result(GemmShape Best, double Seconds, IReadOnlyList<GemmTrial> Trials, int Latents);

    public const int Rows = 504, D = 512, Latents = 4096;

    /// <summary>The smallest problem probed, and the one whose speed sizes the problem: eight 32-latent panels.</summary>
    public const int MinLatents = 256;

    /// <summary>Calls of the problem the budget must hold: the default's four, the rematch's 2 × rounds, and a few candidates'.</summary>
    public const int CallsPerBudget = 40;

    public static Result Run(int[] rowCandidates, int[] blockCandidates, int[] prefetchCandidates, int[] depthCandidates, double seconds)
    {
        var clock = Stopwatch.StartNew();
        var trials = new List<GemmTrial>();
        long packedWeight = blockCandidates.Max(b => EncoderGemm.PackedWeightLength(D, Latents, new GemmShape(6, b)));
        float* memory = (float*)NativeMemory.AlignedAlloc((nuint)(sizeof(float) * (2L * Rows * D + Latents * (D + 1L) + Rows * (long)Latents
            + Rows * (long)TopK.Panels(Latents) + packedWeight + EncoderGemm.PackedInputLength(Rows, D))), 64);
        try
        {
            float* xc = memory, wEnc = xc + Rows * D, bEnc = wEnc + (long)Latents * D, pre = bEnc + Latents;
            float* panelMax = pre + (long)Rows * Latents, blocks = panelMax + (long)Rows * TopK.Panels(Latents);
            float* packedInput = blocks + packedWeight;
            var random = new Random(1);
            for (long i = 0; i < Rows * D; i++) xc[i] = (float)(random.NextDouble() - 0.5);
            for (long i = 0; i < (long)Latents * D; i++) wEnc[i] = (float)(random.NextDouble() - 0.5) / 16;
            for (int i = 0; i < Latents; i++) bEnc[i] = 0;

            int latents = MinLatents;
            double lastCall = 0; // seconds of the latest call: what the next is predicted to take
            double Once(GemmShape shape)
            {
                long start = Stopwatch.GetTimestamp();
                EncoderGemm.Run(xc, wEnc, bEnc, pre, Rows, D, latents, blocks, packedInput, panelMax, shape);
                lastCall = Stopwatch.GetElapsedTime(start).TotalSeconds;
                return 2.0 * Rows * D * latents / lastCall / 1e9;
            }

            bool Fits(int calls, double until) => clock.Elapsed.TotalSeconds + calls * lastCall <= until;

            double Time(GemmShape shape)
            {
                Once(shape);
                double gflops = Math.Max(Once(shape), Math.Max(Once(shape), Once(shape)));
                trials.Add(new GemmTrial(shape, gflops));
                return gflops;
            }

            // The problem's size from the smallest one's speed (its first call is the JIT's).
            Once(GemmShape.Default);
            latents = LatentsFor(Once(GemmShape.Default), seconds);
            lastCall *= (double)latents / MinLatents;

            var bestShape = GemmShape.Default;
            double bestGflops = Time(bestShape);
            // One dimension at a time, each from the best so far, each with its share of the budget.
            var phases = new (double Until, Func<GemmShape, IEnumerable<GemmShape>> Vary)[]
            {
                (0.35, s => rowCandidates.Select(r => s with { Rows = r })),
                (0.5, s => depthCandidates.Select(k => s with { DepthBlock = k })),
                (0.65, s => blockCandidates.Select(b => s with { BlockBytes = b })),
                (0.8, s => prefetchCandidates.Select(p => s with { PrefetchBytes = p })),
            };
            foreach (var (until, vary) in phases)
                foreach (var shape in vary(bestShape).Where(s => s != bestShape).ToList())
                {
                    if (!Fits(4, seconds * until)) break;
                    double g = Time(shape);
                    if (g > bestGflops) (bestShape, bestGflops) = (shape, g);
                }
            // No time left for the rematch: the defaults; unverified winners are not cached.
            if (bestShape != GemmShape.Default && (!Fits(2 * ProbeRounds.Rounds, seconds)
                || !ProbeRounds.Beats(() => Once(bestShape), () => Once(GemmShape.Default))))
                bestShape = GemmShape.Default;
            return new Result(bestShape, clock.Elapsed.TotalSeconds, trials, latents);
        }
        finally
        {
            NativeMemory.AlignedFree(memory);
        }
    }

    /// <summary>The probe's latents at a measured speed (GFLOP/s of the smallest problem): the full <see cref="Latents"/> where <see cref="CallsPerBudget"/> calls of it fit in <paramref name="seconds"/>, else
    /// the largest halving of it that fits, down to <see cref="MinLatents"/>.</summary>
    public static int LatentsFor(double gflops, double seconds)
    {
        int latents = Latents;
        while (latents > MinLatents && CallsPerBudget * 2.0 * Rows * D * latents / (gflops * 1e9) > seconds) latents /= 2;
        return latents;
    }
}
