using Lexicon.Data;
using Lexicon.Synthetic;
using static Lexicon.Tests.Synthetic.Vectors;

namespace Lexicon.Tests.Synthetic;

/// <summary>With noise off, x_l[t] − E_l[tok] − BigramNorm·G_l[pair] must be a combination of the features alive at l,
/// with each feature's coefficient the same at every layer where it lives.</summary>
public sealed class CompositionTests
{
    private static readonly SynthOptions Tiny = new()
    {
        Layers = 2, DModel = 16, Vocab = 32, Tokens = 500, Features = 8, Seed = 3, NoiseSigma = 0,
    };

    [Fact]
    public void Activations_are_token_plus_bigram_plus_alive_features()
    {
        using var world = new TempWorld(Tiny);
        using var store = ActivationStore.Open(world.Directory);
        GroundTruth truth = world.Truth;
        int d = truth.D, quiet = 0, bigrams = 0;
        for (int layer = 0; layer < truth.Layers; layer++)
        {
            float[] x = TempWorld.ReadLayer(store, layer);
            var features = new LeastSquares(AliveDirections(truth, layer, out _));
            for (int i = 0; i < store.TokenCount; i++)
            {
                double[] residual = Residual(truth, store, layer, x, i, out bool hasBigram);
                bigrams += hasBigram && layer > 0 ? 1 : 0;
                features.Fit(residual, out double outside);
                Assert.True(outside < 1e-4, $"layer {layer} row {i}: {outside} outside the span of alive features");

                // Where no feature fires, layer 0 is the token row itself.
                if (layer == 0 && Math.Sqrt(LeastSquares.Dot(residual, residual)) < 1e-6)
                {
                    Assert.True(Row(x, i, d).SequenceEqual(Row(truth.TokenTable(0), store.Tokens[i], d)), $"row {i}");
                    quiet++;
                }
            }
        }
        Assert.InRange(quiet, (int)store.TokenCount / 2, (int)store.TokenCount);
        Assert.True(bigrams > 0, "no planted bigram occurs, so the bigram term went untested");
    }

    [Fact]
    public void Features_fire_at_their_rate_with_one_activation_at_every_living_layer()
    {
        const int tokens = 20_000;
        const double p = 0.05;
        var options = Tiny with { Layers = 3, Tokens = tokens, MinFiringProbability = p, MaxFiringProbability = p };
        using var world = new TempWorld(options);
        using var store = ActivationStore.Open(world.Directory);
        GroundTruth truth = world.Truth;

        // activation[f][i] as fitted at f's first layer, then compared at its later ones.
        var activation = new double[truth.Features][];
        for (int layer = 0; layer < truth.Layers; layer++)
        {
            float[] x = TempWorld.ReadLayer(store, layer);
            var features = new LeastSquares(AliveDirections(truth, layer, out int[] alive));
            for (int i = 0; i < tokens; i++)
            {
                double[] c = features.Fit(Residual(truth, store, layer, x, i, out _), out _);
                for (int j = 0; j < alive.Length; j++)
                {
                    int f = alive[j];
                    if (activation[f] is null) activation[f] = new double[tokens];
                    if (layer == truth.Birth[f]) activation[f][i] = c[j];
                    else Assert.Equal(activation[f][i], c[j], 1e-4);
                }
            }
        }

        foreach (double[] a in activation)
        {
            double[] fired = [.. a.Where(v => Math.Abs(v) > 1e-4)];
            Assert.All(fired, v => Assert.True(v > 0.5 - 1e-4, $"activation {v} below 0.5"));
            Assert.InRange(fired.Length, 0.85 * p * tokens, 1.15 * p * tokens);
            Assert.InRange(fired.Average(), 1.4, 1.6);
        }
    }

    /// <summary>Noise is added on top of the same world (its own streams), independently per layer.</summary>
    [Fact]
    public void Noise_is_gaussian_with_sigma_per_dimension_independent_across_layers()
    {
        var options = Tiny with { Tokens = 20_000 };
        using var clean = new TempWorld(options);
        using var noisy = new TempWorld(options with { NoiseSigma = 0.05 });
        using var cleanStore = ActivationStore.Open(clean.Directory);
        using var noisyStore = ActivationStore.Open(noisy.Directory);
        Assert.Equal(cleanStore.Tokens, noisyStore.Tokens);

        var noise = new double[options.Layers][];
        for (int layer = 0; layer < options.Layers; layer++)
        {
            float[] a = TempWorld.ReadLayer(cleanStore, layer), b = TempWorld.ReadLayer(noisyStore, layer);
            noise[layer] = [.. a.Zip(b, (u, v) => (double)v - u)];
            Assert.InRange(noise[layer].Average(), -0.001, 0.001);
            Assert.InRange(Math.Sqrt(noise[layer].Average(e => e * e)), 0.049, 0.051);
        }
        double correlation = LeastSquares.Dot(noise[0], noise[1]) / Math.Sqrt(LeastSquares.Dot(noise[0], noise[0]) * LeastSquares.Dot(noise[1], noise[1]));
        Assert.InRange(correlation, -0.01, 0.01);
    }

    /// <summary>Row i of layer minus its token row and (at layers ≥ 1) its planted bigram vector.</summary>
    private static double[] Residual(GroundTruth truth, ActivationStore store, int layer, float[] x, int i, out bool hasBigram)
    {
        int d = truth.D, token = store.Tokens[i];
        double[] residual = ToDouble(Row(x, i, d));
        ReadOnlySpan<float> tokenRow = Row(truth.TokenTable(layer), token, d);
        for (int j = 0; j < d; j++) residual[j] -= tokenRow[j];

        int pair = store.Positions[i] == 0 ? -1 : BigramIndex(truth, store.Tokens[i - 1], token);
        hasBigram = pair >= 0;
        if (hasBigram && layer > 0)
        {
            ReadOnlySpan<float> bigramRow = Row(truth.BigramTable(layer), pair, d);
            for (int j = 0; j < d; j++) residual[j] -= truth.BigramNorm * bigramRow[j];
        }
        return residual;
    }

    private static int BigramIndex(GroundTruth truth, int previous, int token)
    {
        int[] keys = truth.BigramKeys;
        for (int p = 0; p < truth.BigramCount; p++)
            if (keys[2 * p] == previous && keys[2 * p + 1] == token) return p;
        return -1;
    }

    private static double[][] AliveDirections(GroundTruth truth, int layer, out int[] alive)
    {
        float[] directions = truth.FeatureDirections(layer);
        alive = truth.AliveFeatures(layer);
        return [.. alive.Select(f => ToDouble(Row(directions, f, truth.D)))];
    }
}
