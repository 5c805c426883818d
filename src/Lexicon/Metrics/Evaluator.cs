using Lexicon.Data;
using Lexicon.Kernels;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Metrics;

/// <summary>
/// Runs an SAE (with its tables, if any) forward over a layer's rows in order and measures nmse = mean ‖x̂−x‖²/‖x‖²,
/// fvu = Σ‖x̂−x‖² / Σ‖x−x̄‖², l0 = mean fired latents per token, dead_fraction = share of latents that fired on none of
/// the last <see cref="EvalOptions.DeadTokens"/> tokens, and the variance shares of the tables and of the own latents. Sums are kept in float64.
/// </summary>
public static class Evaluator
{
    public static EvalResult Run(IKernels kernels, SaeWeights weights, int k, ActivationStore store, int layer, EvalOptions options)
    {
        var (known, rows, batch, normalize) = (options.Known, options.Rows, options.Batch, options.Normalize);
        var (codeIndex, codeValue, reconstruction) = (options.CodeIndex, options.CodeValue, options.Reconstruction);
        int d = store.D;
        if (weights.D != d) throw new BadInputException(store.Layer(layer).Path, $"d_model {d} does not match the SAE's d_in {weights.D}");
        long n = rows?.LongLength ?? Math.Min(options.MaxTokens, store.TokenCount);
        using var sae = new DeviceSae(kernels, weights.Shape);
        sae.Load(weights);
        var (tables, pool) = (known.Tables, known.Pool);
        using var part = known.OnDevice(kernels, batch, d);
        var inputs = new KnownInputs(store, batch, tables?.Layout, pool);
        var poolShares = new PoolShares(pool, d);
        using var buffers = new StepBuffers(kernels, weights.Shape, batch, k, 0);
        var x = new float[(long)batch * d];
        var raw = normalize ? new float[(long)batch * d] : x;
        var scale = new float[batch];
        Array.Fill(scale, 1f);
        var rowIds = new long[batch];
        var lastFired = new long[weights.Latents];
        Array.Fill(lastFired, -1);
        var fireCounts = new int[weights.Latents];
        var sum = new double[d];
        var tableShare = new Share(d);
        var ownShare = new Share(d);
        var latentDot = new double[weights.Latents];
        var latentActivation = new double[weights.Latents];
        double sumSquares = 0, error = 0, nmse = 0;
        var own = new double[d];
        var tablePart = new double[d];
        long fired = 0;
        for (long first = 0; first < n; first += batch)
        {
            int count = (int)Math.Min(batch, n - first);
            for (int b = 0; b < count; b++) rowIds[b] = rows?[first + b] ?? first + b;
            if (rows is null) store.ReadRows(layer, first, count, x);
            else store.ReadRows(layer, rows.AsSpan((int)first, count), x);
            if (normalize)
            {
                x.AsSpan(0, count * d).CopyTo(raw);
                RowNorm.Apply(x, count, d, scale);
            }
            buffers.X.CopyFromHost(x.AsSpan(0, count * d));
            inputs.Upload(rowIds, count, part);
            var v = ForwardPass.Run(sae, buffers, part, count, 0);
            var rowError = v.RowError.ToArray();
            var rowTarget = v.RowTarget.ToArray();
            var index = v.MainIndex.ToArray();
            var value = v.MainValue.ToArray();
            if (codeIndex is not null) index.CopyTo(codeIndex.AsSpan((int)(first * k)));
            if (codeValue is not null) value.CopyTo(codeValue.AsSpan((int)(first * k)));
            var xHat = v.XHat.ToArray();
            var tab = part.Known?.Slice(0, v.N).ToArray();
            if (normalize) Rescale(scale, count, d, rowError, rowTarget, xHat, tab);
            if (reconstruction is not null) xHat.CopyTo(reconstruction.AsSpan((int)(first * d), count * d));
            for (int b = 0; b < count; b++)
            {
                error += rowError[b];
                sumSquares += rowTarget[b];
                nmse += rowTarget[b] > 0 ? rowError[b] / rowTarget[b] : 0;
                var xb = raw.AsSpan(b * d, d);
                float s = scale[b];
                for (int i = 0; i < d; i++) sum[i] += xb[i];
                // The own latents' part of the reconstruction is x̂ − b_dec − known, the tables' part known − pool.
                for (int i = 0; i < d; i++) own[i] = xHat[b * d + i] - s * weights.BDec[i] - (tab?[b * d + i] ?? 0);
                ownShare.Add(own, xb);
                if (options.KnownShares)
                {
                    int active = pool?.Active ?? 0;
                    var poolValue = inputs.PoolValue.Slice(b * active, active);
                    if (normalize) poolValue = Scaled(poolValue, s);
                    var pooled = poolShares.Add(inputs.PoolIndex.Slice(b * active, active), poolValue, xb);
                    if (tables is not null)
                    {
                        for (int i = 0; i < d; i++) tablePart[i] = tab![b * d + i] - pooled[i];
                        tableShare.Add(tablePart, xb);
                    }
                }
                for (int j = 0; j < k; j++)
                {
                    if (value[b * k + j] <= 0) continue;
                    int m = index[b * k + j];
                    lastFired[m] = first + b;
                    fireCounts[m]++;
                    fired++;
                    var row = weights.WDec.AsSpan(m * d, d);
                    double product = 0;
                    for (int i = 0; i < d; i++) product += (double)row[i] * xb[i];
                    latentDot[m] += s * value[b * k + j] * product;
                    latentActivation[m] += s * value[b * k + j];
                }
            }
            options.Progress?.Report((double)(first + count) / n);
        }
        var mean = sum.Select(s => s / n).ToArray();
        double variance = sumSquares - n * mean.Sum(v => v * v);
        long window = Math.Min(options.DeadTokens, n);
        int dead = lastFired.Count(t => t < n - window);
        var rowShares = poolShares.Of(mean, variance);
        var latentShares = new double[weights.Latents];
        for (int m = 0; m < weights.Latents; m++)
        {
            double rowMean = 0;
            for (int i = 0; i < d; i++) rowMean += weights.WDec[m * d + i] * mean[i];
            latentShares[m] = variance > 0 ? (latentDot[m] - rowMean * latentActivation[m]) / variance : 0;
        }
        return new EvalResult(n, nmse / n, variance > 0 ? error / variance : double.NaN, (double)fired / n,
            (double)dead / weights.Latents, fireCounts, tableShare.Of(mean, n, variance), ownShare.Of(mean, n, variance),
            latentShares, rowShares?.Sum() ?? 0, rowShares, poolShares.Fits(mean, n));
    }

    /// <summary>From the model's scale back to the store's: errors and targets by s², reconstruction and known part by s.</summary>
    private static void Rescale(float[] scale, int count, int d, float[] rowError, float[] rowTarget, float[] xHat, float[]? known)
    {
        for (int b = 0; b < count; b++)
        {
            float s = scale[b];
            rowError[b] *= s * s;
            rowTarget[b] *= s * s;
            for (int i = 0; i < d; i++)
            {
                xHat[b * d + i] *= s;
                if (known is not null) known[b * d + i] *= s;
            }
        }
    }

    private static ReadOnlySpan<float> Scaled(ReadOnlySpan<float> values, float s)
    {
        var scaled = new float[values.Length];
        for (int i = 0; i < values.Length; i++) scaled[i] = s * values[i];
        return scaled;
    }

    /// <summary>Per pool row g, Σ_b c_gb·⟨P_g, x_b⟩, Σ_b c_gb and Σ_b c_gb², for its share Σ_b c_gb·⟨P_g, x_b − x̄⟩ / variance
    /// and its fit.</summary>
    private sealed class PoolShares(PoolInput? pool, int d)
    {
        private readonly double[] _dot = new double[pool?.Rows ?? 0];
        private readonly double[] _activation = new double[pool?.Rows ?? 0];
        private readonly double[] _squares = new double[pool?.Rows ?? 0];
        private readonly double[] _part = new double[d];

        /// <summary>Accumulates one token and returns its pooled part Σ c_g·P_g.</summary>
        public double[] Add(ReadOnlySpan<int> index, ReadOnlySpan<float> value, ReadOnlySpan<float> x)
        {
            Array.Clear(_part);
            for (int j = 0; j < index.Length; j++)
            {
                int g = index[j];
                if (g < 0) continue;
                var row = pool!.Values.AsSpan(g * d, d);
                double dot = 0;
                for (int i = 0; i < d; i++)
                {
                    dot += (double)row[i] * x[i];
                    _part[i] += value[j] * row[i];
                }
                _dot[g] += value[j] * dot;
                _activation[g] += value[j];
                _squares[g] += (double)value[j] * value[j];
            }
            return _part;
        }

        /// <summary>Per row, the least-squares slope (with intercept, over all n tokens) of the data along the row's
        /// direction on its code: Σ c·⟨u_g, x − x̄⟩ / (Σ c² − (Σ c)²/n) with u_g = P_g/‖P_g‖. About the feature's amplitude
        /// in units of its code while the data still carries it, about 0 once it has gone, whatever the row's norm (NaN
        /// where the code never varied).</summary>
        public double[]? Fits(double[] mean, long n)
        {
            if (pool is null) return null;
            var fits = new double[pool.Rows];
            for (int g = 0; g < pool.Rows; g++)
            {
                var row = pool.Values.AsSpan(g * d, d);
                double rowMean = 0, norm = 0;
                for (int i = 0; i < d; i++)
                {
                    rowMean += row[i] * mean[i];
                    norm += (double)row[i] * row[i];
                }
                double spread = _squares[g] - _activation[g] * _activation[g] / n;
                fits[g] = spread > 0 && norm > 0 ? (_dot[g] - rowMean * _activation[g]) / (Math.Sqrt(norm) * spread) : double.NaN;
            }
            return fits;
        }

        public double[]? Of(double[] mean, double variance)
        {
            if (pool is null) return null;
            var shares = new double[pool.Rows];
            for (int g = 0; g < pool.Rows; g++)
            {
                double rowMean = 0;
                for (int i = 0; i < d; i++) rowMean += pool.Values[g * d + i] * mean[i];
                shares[g] = variance > 0 ? (_dot[g] - rowMean * _activation[g]) / variance : double.NaN;
            }
            return shares;
        }
    }

    /// <summary>Accumulates Σ⟨c_b, x_b⟩ and Σ c_b for one part c of the reconstruction.</summary>
    private sealed class Share(int d)
    {
        private readonly double[] _sum = new double[d];
        private double _dot;

        public void Add(double[] c, ReadOnlySpan<float> x)
        {
            for (int i = 0; i < c.Length; i++)
            {
                _dot += c[i] * x[i];
                _sum[i] += c[i];
            }
        }

        /// <summary>Σ⟨c − c̄, x − x̄⟩ / Σ‖x − x̄‖² = (Σ⟨c, x⟩ − ⟨Σc, x̄⟩) / variance.</summary>
        public double Of(double[] mean, long n, double variance)
        {
            double centred = _dot;
            for (int i = 0; i < mean.Length; i++) centred -= _sum[i] * mean[i];
            return variance > 0 ? centred / variance : double.NaN;
        }
    }
}
