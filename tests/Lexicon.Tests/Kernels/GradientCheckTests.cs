using Lexicon.Tests.Kernels;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>The reference step's analytic gradients against central finite differences of its own loss, in float64.</summary>
public sealed class GradientCheckTests
{
    [Theory]
    [InlineData(1, 5, 7, 1, 0)]
    [InlineData(4, 6, 11, 3, 2)]
    [InlineData(9, 13, 20, 4, 5)]
    public void Reference_gradients_match_finite_differences(int rows, int d, int latents, int k, int kAux)
    {
        var r = new TestRandom(100 + rows);
        var w = RandomSae(r, d, latents);
        var x = Compare.ToDouble(r.Normal(rows * d));
        var dead = Enumerable.Range(0, latents).Select(m => m % 3 == 0 ? 1 : 0).ToArray();
        const double aux = 1 / 32.0, normalizer = 1.7;

        var forward = Ref.SaeStep.Forward(w, x, rows, k, dead, kAux, aux, normalizer);
        var grad = Ref.SaeStep.Backward(w, forward, rows, k, kAux);

        string[] names = ["WEnc", "BEnc", "WDec", "BDec"];
        AssertMatchesFiniteDifferences(w.Tensors, grad.Tensors, names, forward, "", r,
            () => Ref.SaeStep.Forward(w, x, rows, k, dead, kAux, aux, normalizer, forward.Residual));
        Assert.True(forward.AuxLoss > 0 || kAux == 0, "the AuxK term must be exercised");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reference_gradients_with_tables_and_pool_match_finite_differences(bool subtract)
    {
        const int rows = 6, d = 5, latents = 9, k = 2, kAux = 3, totalRows = 7, slots = 3, poolRows = 6, active = 3;
        var r = new TestRandom(150 + (subtract ? 1 : 0));
        var w = RandomSae(r, d, latents);
        var x = Compare.ToDouble(r.Normal(rows * d));
        var dead = Enumerable.Range(0, latents).Select(m => m % 2).ToArray();
        var rowIndex = Enumerable.Range(0, rows * slots).Select(i => i % 5 == 4 ? -1 : r.Next(totalRows)).ToArray();
        var tables = new Ref.SaeTables(Compare.ToDouble(r.Normal(totalRows * d, 0.5)), rowIndex, slots);
        var poolIndex = Enumerable.Range(0, rows * active).Select(i => i % 4 == 3 ? -1 : r.Next(poolRows)).ToArray();
        var pool = new Ref.SaePool(Compare.ToDouble(r.Normal(poolRows * d, 0.5)), poolIndex, Compare.ToDouble(r.Uniform(rows * active, 0.2, 1.5)), active);
        var known = new Ref.SaeKnown(tables, pool, subtract);
        const double aux = 1 / 32.0, normalizer = 0.9;

        var forward = Ref.SaeStep.Forward(w, x, rows, k, dead, kAux, aux, normalizer, null, known);
        var weightGrad = Ref.SaeStep.Backward(w, forward, rows, k, kAux);
        var (tableGrad, poolGrad) = Ref.SaeStep.KnownBackward(w, forward, known, rows, k, kAux);

        double[][] tensors = [.. w.Tensors, tables.Values, pool.Values];
        double[][] grads = [.. weightGrad.Tensors, tableGrad!, poolGrad!];
        string[] names = ["WEnc", "BEnc", "WDec", "BDec", "Table", "Pool"];
        AssertMatchesFiniteDifferences(tensors, grads, names, forward, $" (subtract {subtract})", r,
            () => Ref.SaeStep.Forward(w, x, rows, k, dead, kAux, aux, normalizer, forward.Residual, known));
    }

    /// <summary>Each entry of each tensor moved by ±h in place, the loss re-run, against its analytic gradient. Top-k is
    /// piecewise: the check is only meaningful where the selection did not move, so that is asserted too.</summary>
    private static void AssertMatchesFiniteDifferences(double[][] tensors, double[][] grads, string[] names,
        Ref.SaeForward forward, string label, TestRandom r, Func<Ref.SaeForward> run)
    {
        const double h = 1e-6;
        for (int t = 0; t < tensors.Length; t++)
            for (int i = 0; i < tensors[t].Length; i++)
            {
                double saved = tensors[t][i];
                tensors[t][i] = saved + h;
                var plus = run();
                tensors[t][i] = saved - h;
                var minus = run();
                tensors[t][i] = saved;
                foreach (var moved in new[] { plus, minus })
                {
                    Assert.Equal(forward.Index, moved.Index);
                    Assert.Equal(forward.AuxIndex, moved.AuxIndex);
                }
                double numeric = (plus.Loss - minus.Loss) / (2 * h);
                double error = Math.Abs(numeric - grads[t][i]) / Math.Max(1e-3, Math.Abs(numeric) + Math.Abs(grads[t][i]));
                Assert.True(error < 1e-5, $"d{names[t]}[{i}]{label}: analytic {grads[t][i]:E6}, numeric {numeric:E6} {r.Replay}");
            }
    }

    internal static Ref.SaeWeights RandomSae(TestRandom r, int d, int latents)
    {
        var w = Ref.SaeWeights.Zeros(d, latents);
        var dec = r.UnitRows(latents, d);
        for (int i = 0; i < dec.Length; i++)
        {
            w.WDec[i] = dec[i];
            w.WEnc[i] = dec[i] + 0.3 * r.Gaussian();
        }
        for (int m = 0; m < latents; m++) w.BEnc[m] = 0.1 * r.Gaussian();
        for (int i = 0; i < d; i++) w.BDec[i] = 0.2 * r.Gaussian();
        return w;
    }
}
