using Lexicon.Data;
using Lexicon.Kernels;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Metrics;

/// <summary>
/// Runs an SAE forward over a layer's rows in order and measures nmse = mean ‖x̂−x‖²/‖x‖², fvu = Σ‖x̂−x‖² / Σ‖x−x̄‖²,
/// l0 = mean fired latents per token, and dead_fraction = share of latents that fired on none of the last
/// deadTokens tokens. Sums are kept in float64.
/// </summary>
public static class Evaluator
{
    public static EvalResult Run(IKernels kernels, SaeWeights weights, int k, ActivationStore store, int layer,
        long maxTokens = long.MaxValue, long deadTokens = 1_000_000, int batch = 4096, IProgress<double>? progress = null)
    {
        int d = store.D;
        if (weights.D != d) throw new BadInputException(store.Layer(layer).Path, $"d_model {d} does not match the SAE's d_in {weights.D}");
        long n = Math.Min(maxTokens, store.TokenCount);
        using var sae = new DeviceSae(kernels, weights.Shape);
        sae.Load(weights);
        using var buffers = new StepBuffers(kernels, weights.Shape, batch, k, 0);
        var x = new float[(long)batch * d];
        var lastFired = new long[weights.Latents];
        Array.Fill(lastFired, -1);
        var fireCounts = new int[weights.Latents];
        var sum = new double[d];
        double sumSquares = 0, error = 0, nmse = 0;
        long fired = 0;
        for (long first = 0; first < n; first += batch)
        {
            int rows = (int)Math.Min(batch, n - first);
            store.ReadRows(layer, first, rows, x);
            buffers.X.CopyFromHost(x.AsSpan(0, rows * d));
            ForwardPass.Run(sae, buffers, rows, 0);
            var rowError = buffers.RowError.Slice(0, rows).ToArray();
            var rowTarget = buffers.RowTarget.Slice(0, rows).ToArray();
            var index = buffers.MainIndex(rows).ToArray();
            var value = buffers.MainValue(rows).ToArray();
            for (int b = 0; b < rows; b++)
            {
                error += rowError[b];
                sumSquares += rowTarget[b];
                nmse += rowTarget[b] > 0 ? rowError[b] / rowTarget[b] : 0;
                for (int i = 0; i < d; i++) sum[i] += x[b * d + i];
                for (int j = 0; j < k; j++)
                {
                    if (value[b * k + j] <= 0) continue;
                    int m = index[b * k + j];
                    lastFired[m] = first + b;
                    fireCounts[m]++;
                    fired++;
                }
            }
            progress?.Report((double)(first + rows) / n);
        }
        double meanSquare = sum.Sum(s => s * s) / n;
        double variance = sumSquares - meanSquare;
        long window = Math.Min(deadTokens, n);
        int dead = lastFired.Count(t => t < n - window);
        return new EvalResult(n, nmse / n, variance > 0 ? error / variance : double.NaN, (double)fired / n,
            (double)dead / weights.Latents, fireCounts);
    }
}
