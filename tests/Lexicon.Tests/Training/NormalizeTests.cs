using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Metrics;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Training;

/// <summary>--normalize token: the SAE sees every token at norm √d, and what is measured and returned is in the store's scale.</summary>
public sealed class NormalizeTests
{
    [Fact]
    public void Rows_are_scaled_to_norm_sqrt_d_and_the_scale_undoes_it()
    {
        var x = new float[] { 3, 4, 0, 0, 0, 0, 1, -1, 2 };
        var original = (float[])x.Clone();
        var scale = new float[3];
        RowNorm.Apply(x, 3, 3, scale);
        for (int b = 0; b < 3; b++)
        {
            double norm = Math.Sqrt(x.Skip(b * 3).Take(3).Sum(v => (double)v * v));
            Assert.Equal(b == 1 ? 0 : Math.Sqrt(3), norm, 5);
            for (int i = 0; i < 3; i++) Assert.Equal(original[b * 3 + i], x[b * 3 + i] * scale[b], 5);
        }
        Assert.Equal(1f, scale[1]);
    }

    [Fact]
    public void Eval_reconstructs_each_token_as_its_norm_times_the_sae_of_the_scaled_token()
    {
        using var scratch = new Scratch();
        Assert.Equal(0, CliRunner.Run("synth", "--out", scratch["W"], "--layer-count", "2", "--d-model", "16", "--vocab", "64", "--tokens", "8000",
            "--features", "16").ExitCode);
        var train = CliRunner.Run("train", "--data", scratch["W"], "--layer", "1", "--latents", "32", "--k", "3", "--batch", "256", "--train-tokens", "8000",
            "--normalize", "token", "--out", scratch["S"]);
        Assert.True(train.ExitCode == 0, train.ToString());
        Assert.Contains("constant_norm_rescale", File.ReadAllText(Path.Combine(scratch["S"], "cfg.json")));
        var checkpoint = Checkpoint.Load(scratch["S"]);
        Assert.True(checkpoint.NormalizeTokens);
        using var store = ActivationStore.Open(scratch["W"]);
        using var kernels = Backends.Create("cpu");
        long[] rows = [0, 1, 2, 63, 64, 65, 4000];
        var reconstruction = new float[rows.Length * 16];
        var eval = Evaluator.Run(kernels, checkpoint.Weights, 3, store, 1,
            new EvalOptions { Rows = rows, Reconstruction = reconstruction, Normalize = true });
        var w = checkpoint.Weights;
        double nmse = 0;
        for (int r = 0; r < rows.Length; r++)
        {
            var x = new float[16];
            store.ReadRows(1, rows[r], 1, x);
            double s = Math.Sqrt(x.Sum(v => (double)v * v) / 16);
            // SAELens's TopK forward on x / s, then scaled back by s.
            var pre = Enumerable.Range(0, 32).Select(m => Math.Max(0, w.BEnc[m] + Enumerable.Range(0, 16).Sum(i => (double)w.WEnc[m * 16 + i] * (x[i] / s - w.BDec[i])))).ToArray();
            var top = pre.Select((v, m) => (v, m)).OrderByDescending(p => p.v).Take(3).ToArray();
            double error = 0, target = 0;
            for (int i = 0; i < 16; i++)
            {
                double xHat = s * (w.BDec[i] + top.Sum(t => t.v * w.WDec[t.m * 16 + i]));
                Assert.Equal(xHat, reconstruction[r * 16 + i], 3);
                error += (xHat - x[i]) * (xHat - x[i]);
                target += (double)x[i] * x[i];
            }
            nmse += error / target;
        }
        Assert.Equal(nmse / rows.Length, eval.Nmse, 4);
        Assert.InRange(eval.Nmse, 0.001, 0.8);
    }
}
