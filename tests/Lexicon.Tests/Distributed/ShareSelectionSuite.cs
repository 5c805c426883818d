using Lexicon.Distributed;
using Lexicon.Kernels;
using Lexicon.Model;
using Lexicon.Tests.Gpu;
using Lexicon.Tests.Kernels;
using Lexicon.Training;
using static Lexicon.Tests.Support.StepComparison;

namespace Lexicon.Tests.Distributed;

/// <summary>
/// Why a data-parallel run is bit-identical to one process, on every backend the machine has, without MPI: a step
/// whose latents are selected share by share (each rank's rows alone, as <see cref="RowPartition"/> has each
/// rank do) leaves the same selections and gradients, bit for bit, as the whole batch selected at once.
/// </summary>
public abstract class ShareSelectionSuite(BackendFixture? shared = null) : BackendSuite(shared)
{
    [SkippableTheory]
    [InlineData(29, 33, 70, 8, 16, 2)]
    [InlineData(29, 33, 70, 8, 16, 3)]
    [InlineData(50, 16, 96, 4, 8, 5)]
    public void Selecting_share_by_share_leaves_the_whole_batchs_selections_and_gradients(int rows, int d, int latents, int k, int kAux, int ranks)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(500 + rows + ranks);
        var weights = ToFloat(GradientCheckTests.RandomSae(r, d, latents), d, latents);
        var x = r.Normal(rows * d);
        var dead = new int[latents];
        for (int m = 0; m < latents; m += 3) dead[m] = 1;

        var whole = Step(weights, x, dead, k, kAux, WholeBatch.Instance);
        var shares = Step(weights, x, dead, k, kAux, new SharesInTurn(ranks));
        Assert.Equal(whole.Index, shares.Index);
        Assert.Equal(whole.Value, shares.Value);
        Assert.Equal(whole.Gradients, shares.Gradients);
    }

    private (int[] Index, float[] Value, float[] Gradients) Step(SaeWeights weights, float[] x, int[] dead, int k, int kAux, IPartition partition)
    {
        using var run = Compute(K, weights, x, dead, k, kAux, 1 / 32f, 1.3f, partition: partition);
        var v = run.Step.Buffers.For(x.Length / weights.D);
        return (v.Index(run.Step.AuxKUsed).ToArray(), v.Value(run.Step.AuxKUsed).ToArray(), run.Step.Gradients.ToArray());
    }

    /// <summary>Every rank's share in turn, on this one backend (what the ranks do together, less the exchange).</summary>
    private sealed class SharesInTurn(int ranks) : IPartition
    {
        public void EncodeTopK(DeviceSae sae, BatchViews v)
        {
            for (int rank = 0; rank < ranks; rank++)
            {
                var (start, count) = RowPartition.Share(v.Rows, rank, ranks);
                RowPartition.EncodeTopK(sae, v, start, count);
            }
        }

        public void MaskedTopK(IKernels k, BatchViews v, View<int> dead, int latents, int kAux)
        {
            for (int rank = 0; rank < ranks; rank++)
            {
                var (start, count) = RowPartition.Share(v.Rows, rank, ranks);
                RowPartition.MaskedTopK(k, v, dead, latents, kAux, start, count);
            }
        }
    }
}

public sealed class CpuShareSelectionTests : ShareSelectionSuite
{
    protected override IKernels CreateKernels() => new Lexicon.Kernels.Cpu.CpuKernels();
}

public sealed class IlgpuCpuShareSelectionTests(IlgpuCpuBackend backend) : ShareSelectionSuite(backend), IClassFixture<IlgpuCpuBackend>;

public sealed class OpenClShareSelectionTests(OpenClBackend backend) : ShareSelectionSuite(backend), IClassFixture<OpenClBackend>;

public sealed class CudaShareSelectionTests(CudaBackend backend) : ShareSelectionSuite(backend), IClassFixture<CudaBackend>;

/// <summary>Each rank's rows of a batch: contiguous, in rank order, sizes within one of each other.</summary>
public sealed class ShareTests
{
    [Theory]
    [InlineData(10, 3)]
    [InlineData(2, 3)]
    [InlineData(4096, 2)]
    [InlineData(1001, 7)]
    public void Shares_cover_the_batch_in_order(int rows, int ranks)
    {
        int next = 0;
        for (int r = 0; r < ranks; r++)
        {
            var (start, count) = RowPartition.Share(rows, r, ranks);
            Assert.Equal(next, start);
            Assert.InRange(count, rows / ranks, rows / ranks + 1);
            next = start + count;
        }
        Assert.Equal(rows, next);
    }
}
