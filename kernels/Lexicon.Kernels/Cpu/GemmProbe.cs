using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>
/// The tuner's timed probe: the encoder GEMM (with the panel maxima, as EncodeTopK runs it) on a W2-like problem of
/// ~2 GFLOP (504 tokens — a multiple of every tile height — d 512, 4096 latents), first over the tile heights at the
/// default block, then over the block sizes at the best height, then over the prefetch distances at the best height and
/// block; each candidate's best of three timed calls after one untimed (its JIT and first touch). Stops trying new
/// candidates once the time budget is spent; the winner then has to beat the defaults again (<see cref="ProbeRounds"/>).
/// </summary>
public static unsafe class GemmProbe
{
    public sealed record Result(GemmShape Best, double Seconds, IReadOnlyList<GemmTrial> Trials);

    public const int Rows = 504, D = 512, Latents = 4096;

    public static Result Run(int[] rowCandidates, int[] blockCandidates, int[] prefetchCandidates, double seconds)
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

            double Once(GemmShape shape)
            {
                long start = Stopwatch.GetTimestamp();
                EncoderGemm.Run(xc, wEnc, bEnc, pre, Rows, D, Latents, blocks, packedInput, panelMax, shape);
                return 2.0 * Rows * D * Latents / Stopwatch.GetElapsedTime(start).TotalSeconds / 1e9;
            }

            double Time(GemmShape shape)
            {
                Once(shape);
                double gflops = Math.Max(Once(shape), Math.Max(Once(shape), Once(shape)));
                trials.Add(new GemmTrial(shape.Rows, shape.BlockBytes, shape.PrefetchBytes, gflops));
                return gflops;
            }

            var bestShape = GemmShape.Default;
            double bestGflops = Time(bestShape);
            // One dimension at a time, each from the best so far, each with its share of the budget.
            var phases = new (double Until, Func<GemmShape, IEnumerable<GemmShape>> Vary)[]
            {
                (0.4, s => rowCandidates.Select(r => s with { Rows = r })),
                (0.65, s => blockCandidates.Select(b => s with { BlockBytes = b })),
                (0.8, s => prefetchCandidates.Select(p => s with { PrefetchBytes = p })),
            };
            foreach (var (until, vary) in phases)
                foreach (var shape in vary(bestShape).Where(s => s != bestShape).ToList())
                {
                    if (clock.Elapsed.TotalSeconds > seconds * until) break;
                    double g = Time(shape);
                    if (g > bestGflops) (bestShape, bestGflops) = (shape, g);
                }
            // No time left for the rematch: the defaults, unverified winners are not cached.
            if (bestShape != GemmShape.Default
                && (clock.Elapsed.TotalSeconds > seconds || !ProbeRounds.Beats(() => Once(bestShape), () => Once(GemmShape.Default))))
                bestShape = GemmShape.Default;
            return new Result(bestShape, clock.Elapsed.TotalSeconds, trials);
        }
        finally
        {
            NativeMemory.AlignedFree(memory);
        }
    }
}
