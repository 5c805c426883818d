using Lexicon.Kernels;
using Lexicon.Model;
using Lexicon.Tests.Kernels;
using Lexicon.Training;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Gpu;

/// <summary>
/// What <see cref="KernelSuite"/>'s single small calls do not reach on an ILGPU backend: a whole training step against
/// the reference step (views at offsets into shared allocations, AuxK's half of the selection, as the trainer hands them
/// out), many groups in flight at once (on PoCL, groups of one launch run concurrently on the host's cores), and a
/// latent that every token selects (its range outgrows a group).
/// </summary>
public abstract class StepSuite(BackendFixture backend)
{
    private IKernels K => backend.Kernels!;

    [SkippableTheory]
    [InlineData(1, 5, 7, 1, 0, 0)]
    [InlineData(6, 17, 40, 3, 4, 1)]
    [InlineData(6, 17, 40, 3, 4, 9)]
    [InlineData(29, 33, 70, 8, 16, 5)]
    public void Step_gradients_match_reference(int rows, int d, int latents, int k, int kAux, int deadCount)
    {
        Skip.If(backend.SkipReason is not null, backend.SkipReason);
        var r = new TestRandom(300 + rows + deadCount);
        var reference = GradientCheckTests.RandomSae(r, d, latents);
        var x = r.Normal(rows * d);
        var dead = new int[latents];
        for (int m = 0; m < deadCount; m++) dead[(m * 7) % latents] = 1;
        const float aux = 1 / 32f, normalizer = 1.3f;

        using var sae = new DeviceSae(K, new SaeShape(d, latents));
        sae.Load(ToFloat(reference, d, latents));
        using var step = new TrainingStep(sae, rows, k, kAux, aux, deadAfter: 1 << 20);
        step.Dead.CopyFromHost(dead);
        step.DeadCount.CopyFromHost([dead.Sum()]);
        step.Buffers.X.CopyFromHost(x);
        step.ComputeGradients(rows, normalizer);

        int kAuxUsed = Math.Min(kAux, dead.Sum());
        double effectiveAux = kAux == 0 ? 0 : aux * Math.Min(1.0, (double)dead.Sum() / kAux);
        var forward = Ref.SaeStep.Forward(reference, Compare.ToDouble(x), rows, k, dead, kAuxUsed, effectiveAux, normalizer);
        var expected = Ref.SaeStep.Backward(reference, forward, rows, k, kAuxUsed);
        Compare.Equal(forward.Index, step.Buffers.MainIndex(rows).ToArray(), "index", r);
        Compare.Equal(forward.AuxIndex, step.Buffers.AuxIndex(rows, kAuxUsed).ToArray(), "aux index", r);
        var actual = SaeWeights.ReadFrom(step.Gradients.ToArray(), sae.Layout);
        Compare.Close(expected.WEnc, actual.WEnc, "dWEnc", r);
        Compare.Close(expected.BEnc, actual.BEnc, "dBEnc", r);
        Compare.Close(expected.WDec, actual.WDec, "dWDec", r);
        Compare.Close(expected.BDec, actual.BDec, "dBDec", r);
    }

    [SkippableFact]
    public void TopK_stays_exact_with_many_groups_in_flight()
    {
        Skip.If(backend.SkipReason is not null, backend.SkipReason);
        const int rows = 300, latents = 64, k = 4;
        var r = new TestRandom(320);
        for (int repeat = 0; repeat < 3; repeat++)
        {
            var pre = r.Normal(rows * latents).Select(v => Math.Max(v, 0)).ToArray();
            using var input = K.Allocate<float>(pre.Length);
            using var index = K.Allocate<int>(rows * k);
            using var value = K.Allocate<float>(rows * k);
            input.CopyFromHost(pre);
            K.TopK(input.All, rows, latents, k, index.All, value.All);
            var expectedIndex = new int[rows * k];
            Ref.TopK.Run(Compare.ToDouble(pre), rows, latents, k, expectedIndex, new double[rows * k]);
            Compare.Equal(expectedIndex, index.ToArray(), "index", r);
        }
    }

    [SkippableFact]
    public void GroupByLatent_keeps_entry_order_when_every_token_selects_one_latent()
    {
        Skip.If(backend.SkipReason is not null, backend.SkipReason);
        const int rows = 300, latents = 50, k = 3;
        var r = new TestRandom(330);
        var index = new int[rows * k];
        for (int b = 0; b < rows; b++)
        {
            index[b * k] = 7;
            index[b * k + 1] = r.Next(2) == 0 ? -1 : 20 + r.Next(30);
            index[b * k + 2] = r.Next(7);
        }
        using var indexArray = K.Allocate<int>(index.Length);
        using var start = K.Allocate<int>(latents + 1);
        using var order = K.Allocate<int>(index.Length);
        indexArray.CopyFromHost(index);
        K.GroupByLatent(indexArray.All, index.Length, latents, start.All, order.All);
        var expectedStart = new int[latents + 1];
        var expectedOrder = new int[index.Length];
        Ref.GroupByLatent.Run(index, index.Length, latents, expectedStart, expectedOrder);
        Compare.Equal(expectedStart, start.ToArray(), "start", r);
        Compare.Equal(expectedOrder[..expectedStart[latents]], order.ToArray(), "order", r);
    }

    private static SaeWeights ToFloat(Ref.SaeWeights w, int d, int latents) => new(new SaeShape(d, latents),
        Array.ConvertAll(w.WEnc, v => (float)v), Array.ConvertAll(w.BEnc, v => (float)v),
        Array.ConvertAll(w.WDec, v => (float)v), Array.ConvertAll(w.BDec, v => (float)v));
}

public sealed class IlgpuCpuStepTests(IlgpuCpuBackend backend) : StepSuite(backend), IClassFixture<IlgpuCpuBackend>;

public sealed class OpenClStepTests(OpenClBackend backend) : StepSuite(backend), IClassFixture<OpenClBackend>;

public sealed class CudaStepTests(CudaBackend backend) : StepSuite(backend), IClassFixture<CudaBackend>;
