using Lexicon.Kernels.Cpu;
using Lexicon.Model;
using Lexicon.Tests.Kernels;
using Lexicon.Training;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Training;

/// <summary>The CPU backend's whole step (forward, AuxK, grouping, sparse backward) against the reference step.</summary>
public sealed class TrainingStepTests
{
    [Theory]
    [InlineData(1, 5, 7, 1, 0, 0)]
    [InlineData(6, 17, 40, 3, 4, 9)]
    [InlineData(29, 33, 70, 8, 16, 5)]
    public void Cpu_step_gradients_match_reference(int rows, int d, int latents, int k, int kAux, int deadCount)
    {
        var r = new TestRandom(200 + rows);
        var reference = GradientCheckTests.RandomSae(r, d, latents);
        var x = r.Normal(rows * d);
        var dead = new int[latents];
        for (int m = 0; m < deadCount; m++) dead[(m * 7) % latents] = 1;
        const float aux = 1 / 32f, normalizer = 1.3f;

        using var kernels = new CpuKernels();
        using var sae = new DeviceSae(kernels, new SaeShape(d, latents));
        sae.Load(ToFloat(reference, d, latents));
        using var step = new TrainingStep(sae, rows, k, kAux, aux, deadAfter: 1 << 20);
        step.Dead.CopyFromHost(dead);
        step.DeadCount.CopyFromHost([dead.Sum()]);
        step.Buffers.X.CopyFromHost(x);
        step.ComputeGradients(rows, normalizer);

        double effectiveAux = kAux == 0 ? 0 : aux * Math.Min(1.0, (double)dead.Sum() / kAux);
        var forward = Ref.SaeStep.Forward(reference, Compare.ToDouble(x), rows, k, dead, Math.Min(kAux, dead.Sum()), effectiveAux, normalizer);
        var expected = Ref.SaeStep.Backward(reference, forward, rows, k, Math.Min(kAux, dead.Sum()));
        Compare.Equal(forward.Index, step.Buffers.MainIndex(rows).ToArray(), "index", r);
        var actual = SaeWeights.ReadFrom(step.Gradients.ToArray(), sae.Layout);
        Compare.Close(expected.WEnc, actual.WEnc, "dWEnc", r);
        Compare.Close(expected.BEnc, actual.BEnc, "dBEnc", r);
        Compare.Close(expected.WDec, actual.WDec, "dWDec", r);
        Compare.Close(expected.BDec, actual.BDec, "dBDec", r);
    }

    private static SaeWeights ToFloat(Ref.SaeWeights w, int d, int latents) => new(new SaeShape(d, latents),
        Array.ConvertAll(w.WEnc, v => (float)v), Array.ConvertAll(w.BEnc, v => (float)v),
        Array.ConvertAll(w.WDec, v => (float)v), Array.ConvertAll(w.BDec, v => (float)v));
}
