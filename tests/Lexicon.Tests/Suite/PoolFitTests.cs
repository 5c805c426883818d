using Lexicon.Data;
using Lexicon.Metrics;
using Lexicon.Model;
using Lexicon.Suite;
using Lexicon.Tests.Kernels;
using Lexicon.Tests.Support;
using Lexicon.Training;

namespace Lexicon.Tests.Suite;

/// <summary>A pooled row's fit (what --pool-death fit prunes on): on data built from known codes, the slope of the data
/// along the row's direction on its code is the amplitude the data carries, whatever the row's norm, about 0 for a
/// feature the data no longer carries, and NaN for a code that never fires; and the threshold it is held to.</summary>
public sealed class PoolFitTests
{
    private const int D = 8, Tokens = 4000;

    [Fact]
    public void Fit_is_the_amplitude_the_data_carries_along_the_row_not_its_norm()
    {
        var random = new TestRandom(15);
        // Row 0: feature e0, carried at amplitude 0.8, row norm 0.2. Row 1: feature e1 at norm 1, gone from the data.
        // Row 2: a code that never fires. Noise of σ 0.3 on every axis; an offset, so the centring matters.
        float[] values = [0.2f, 0, 0, 0, 0, 0, 0, 0, /**/ 0, 1, 0, 0, 0, 0, 0, 0, /**/ 0, 0, 1, 0, 0, 0, 0, 0];
        const int active = 2;
        var index = new int[Tokens * active];
        var value = new float[Tokens * active];
        var x = random.Normal(Tokens * D, 0.3);
        for (int t = 0; t < Tokens; t++)
        {
            for (int j = 0; j < active; j++)
            {
                bool fires = random.NextDouble() < 0.5;
                index[t * active + j] = fires ? j : -1;
                value[t * active + j] = fires ? (float)(0.5 + 1.5 * random.NextDouble()) : 0;
            }
            x[t * D] += 0.8f * value[t * active];
            x[t * D + 3] += 2;
        }
        using var scratch = new Scratch();
        var manifest = new StoreManifest(D, [0], 0, 16, "float32", "test-model", false, null, null);
        using (var writer = new StoreWriter(scratch["store"], manifest))
        {
            writer.AppendTokens(new int[Tokens], new int[Tokens]);
            writer.AppendRows(0, x);
            writer.Complete();
        }
        using var store = ActivationStore.Open(scratch["store"]);
        using var kernels = Backends.Create("cpu");
        var pool = new PoolInput(3, active, values, index, value, 0.001f);
        var eval = Evaluator.Run(kernels, SaeWeights.Zeros(new SaeShape(D, 4)), 1, store, 0,
            new EvalOptions { Known = new KnownWeights(Pool: pool) });

        var fits = eval.PoolRowFits!;
        Assert.InRange(fits[0], 0.75, 0.85);
        Assert.InRange(fits[1], -0.05, 0.05);
        Assert.True(double.IsNaN(fits[2]), $"{fits[2]}");
    }

    [Fact]
    public void The_pruning_threshold_is_half_the_birth_strength_under_fit_a_quarter_under_norm_unless_given()
    {
        Assert.Equal(0.5f, new SuiteConfig().PoolThreshold);
        Assert.Equal(0.25f, new SuiteConfig { PoolDeath = "norm" }.PoolThreshold);
        Assert.Equal(0.3f, new SuiteConfig { PoolDeath = "norm", PoolMinNorm = 0.3f }.PoolThreshold);
        Assert.Equal(0.3f, new SuiteConfig { PoolMinNorm = 0.3f }.PoolThreshold);
    }
}
