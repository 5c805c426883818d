using Lexicon.Data;
using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>
/// Starting weights for a run: decoder rows random unit vectors, encoder = decoder (W_enc = W_decᵀ in SAELens'
/// layout, scaled by encoderScale), b_enc = 0, b_dec the geometric median (or mean) of a sample of the data.
/// The same sample gives the loss normaliser: the data's mean squared distance from its mean.
/// </summary>
public static class SaeInitializer
{
    public static (SaeWeights Weights, float Normalizer) Initialize(TrainSettings config, ActivationStore store, long[] rows, float encoderScale = 1)
    {
        int d = store.D;
        var shape = new SaeShape(d, config.Latents);
        var sample = Sample(store, config.Layer, rows, config.InitSample, config.Seed);
        RowNorm.ApplyIf(config.NormalizeTokens, sample, sample.Length / d, d);
        var weights = SaeWeights.Zeros(shape);
        var rng = Rng.Derive(config.Seed, 0xDEC0DE);
        for (int m = 0; m < shape.Latents; m++)
        {
            var row = weights.WDec.AsSpan(m * d, d);
            double norm = 0;
            for (int i = 0; i < d; i++)
            {
                row[i] = (float)rng.NextGaussian();
                norm += row[i] * row[i];
            }
            for (int i = 0; i < d; i++) row[i] = (float)(row[i] / Math.Sqrt(norm));
        }
        for (int i = 0; i < weights.WEnc.Length; i++) weights.WEnc[i] = encoderScale * weights.WDec[i];
        var mean = GeometricMedian.Mean(sample, d);
        float[] bias = config.DecoderBiasInit == "mean" ? Array.ConvertAll(mean, v => (float)v) : GeometricMedian.Compute(sample, d);
        bias.CopyTo(weights.BDec, 0);
        return (weights, Normalizer(sample, mean, d, store.Layer(config.Layer).Path));
    }

    /// <summary>Mean over the sample of ‖x − x̄‖²: the per-token variance that makes the loss read as FVU.</summary>
    private static float Normalizer(float[] sample, double[] mean, int d, string file)
    {
        int n = sample.Length / d;
        double sum = 0;
        for (int r = 0; r < n; r++)
            for (int i = 0; i < d; i++)
            {
                double c = sample[r * d + i] - mean[i];
                sum += c * c;
            }
        double variance = sum / n;
        if (!(variance > 0)) throw new BadInputException(file, "the activations have zero variance: nothing to learn");
        return (float)variance;
    }

    private static float[] Sample(ActivationStore store, int layer, long[] rows, int size, long seed)
    {
        int d = store.D;
        int n = (int)Math.Min(size, rows.Length);
        var rng = Rng.Derive(seed, 0x5A4D_1E);
        var picked = new long[n];
        if (n == rows.Length) rows.CopyTo(picked, 0);
        else
            for (int i = 0; i < n; i++) picked[i] = rows[rng.NextLong(rows.Length)];
        var sample = new float[(long)n * d];
        for (int i = 0; i < n; i++) store.ReadRows(layer, picked[i], 1, sample.AsSpan(i * d, d));
        return sample;
    }
}
