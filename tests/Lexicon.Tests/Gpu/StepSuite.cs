using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;
using Lexicon.Model;
using Lexicon.Tests.Kernels;
using static Lexicon.Tests.Support.StepComparison;
using Lexicon.Training;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Gpu;

/// <summary>
/// What <see cref="KernelSuite"/>'s single small calls and <see cref="Training.TrainingStepSuite"/>'s single steps do not
/// reach on an ILGPU backend: many groups in flight at once (on PoCL, groups of one launch run concurrently on the
/// host's cores), a latent that every token selects (its range outgrows a group), and two steps with lookup tables and a
/// feature pool, their Adam updates included, against the CPU backend's.
/// </summary>
public abstract class StepSuite(BackendFixture backend)
{
    private IKernels K => backend.Kernels!;

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
    public void GroupByRow_keeps_entry_order_when_every_token_selects_one_latent()
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
        K.GroupByRow(indexArray.All, index.Length, latents, start.All, order.All);
        var expectedStart = new int[latents + 1];
        var expectedOrder = new int[index.Length];
        Ref.GroupByRow.Run(index, index.Length, latents, expectedStart, expectedOrder);
        Compare.Equal(expectedStart, start.ToArray(), "start", r);
        Compare.Equal(expectedOrder[..expectedStart[latents]], order.ToArray(), "order", r);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Steps_with_tables_and_pool_match_the_cpu_backend(bool subtract)
    {
        Skip.If(backend.SkipReason is not null, backend.SkipReason);
        using var cpu = new CpuKernels();
        var expected = KnownSteps(cpu, subtract);
        var actual = KnownSteps(K, subtract);
        var r = new TestRandom(340);
        Compare.Equal(expected.RowIndex, actual.RowIndex, "rowIndex", r);
        Compare.Equal(expected.RowSteps, actual.RowSteps, "row steps", r);
        Compare.Close(Compare.ToDouble(expected.Gradients.WEnc), actual.Gradients.WEnc, "dWEnc", r);
        Compare.Close(Compare.ToDouble(expected.Gradients.WDec), actual.Gradients.WDec, "dWDec", r);
        Compare.Close(Compare.ToDouble(expected.Gradients.BDec), actual.Gradients.BDec, "dBDec", r);
        Compare.Close(Compare.ToDouble(expected.TableGrads), actual.TableGrads, "dTable", r);
        Compare.Close(Compare.ToDouble(expected.PoolGrads), actual.PoolGrads, "dPool", r);
        Compare.Close(Compare.ToDouble(expected.Tables), actual.Tables, "tables", r);
        Compare.Close(Compare.ToDouble(expected.Pool), actual.Pool, "pool", r);
    }

    /// <summary>What two steps of an SAE with a unigram and a bigram table and a pool leave behind: the last step's row
    /// indices and gradients (table and pool rows scattered to dense), the updated tables and pool, and the row step counts.</summary>
    private sealed record KnownState(int[] RowIndex, SaeWeights Gradients, float[] TableGrads, float[] PoolGrads, float[] Tables, float[] Pool,
        int[] RowSteps);

    /// <summary>The same inputs on any backend (a fixed salt): some latents dead so that AuxK runs, keys that cross a
    /// sequence start, rows that many tokens share.</summary>
    private static KnownState KnownSteps(IKernels kernels, bool subtract)
    {
        const int rows = 23, d = 19, latents = 40, k = 4, kAux = 6, vocab = 11, hashedRows = 13, poolRows = 17, active = 5;
        var r = new TestRandom(340);
        var layout = new TableLayout(TableSpec.Parse("unigram;bigram", vocab, hashedRows));
        var dead = Enumerable.Range(0, latents).Select(m => m % 3 == 0 ? 1 : 0).ToArray();
        using var sae = new DeviceSae(kernels, new SaeShape(d, latents));
        sae.Load(ToFloat(GradientCheckTests.RandomSae(r, d, latents), d, latents));
        var tables = new DeviceTables(kernels, layout, d, rows, [1e-2f, 3e-3f]);
        tables.Load(new TableWeights(layout, d, r.Normal(layout.TotalRows * d, 0.5)));
        var pool = new DevicePool(kernels, poolRows, d, active, rows, 5e-3f);
        pool.Load(r.Normal(poolRows * d, 0.5));
        using var step = new TrainingStep(sae, rows, k, kAux, 1 / 32f, 1 << 20, new KnownPart(kernels, rows, d, tables, pool, subtract));
        step.Dead.CopyFromHost(dead);
        step.DeadCount.CopyFromHost([dead.Sum()]);
        for (int s = 0; s < 2; s++)
        {
            var keys = new int[rows * layout.KeyWidth]; // the unigram block [rows, 1], then the bigram block [rows, 2]
            for (int b = 0; b < rows; b++)
            {
                keys[b] = r.Next(vocab);
                keys[rows + 2 * b] = b % 4 == 0 ? -1 : r.Next(vocab);
                keys[rows + 2 * b + 1] = keys[b];
            }
            tables.UploadKeys(keys);
            pool.Upload(Enumerable.Range(0, rows * active).Select(i => i % 3 == 2 ? -1 : r.Next(poolRows)).ToArray(), r.Uniform(rows * active, 0.2, 1.5));
            step.Buffers.X.CopyFromHost(r.Normal(rows * d));
            step.ComputeGradients(rows, 1.1f);
            step.Update(1e-3f);
        }
        return new KnownState(tables.RowIndex.Slice(0, rows * layout.Slots).ToArray(), SaeWeights.ReadFrom(step.Gradients.ToArray(), sae.Layout),
            Dense(tables.TouchedCount!, tables.Touched!, tables.RowGrads!, layout.TotalRows, d),
            Dense(pool.TouchedCount!, pool.Touched!, pool.RowGrads!, poolRows, d),
            tables.Values.ToArray(), pool.Read(), [.. tables.RowSteps!.ToArray(), .. pool.RowSteps!.ToArray()]);
    }
}

public sealed class IlgpuCpuStepTests(IlgpuCpuBackend backend) : StepSuite(backend), IClassFixture<IlgpuCpuBackend>;

public sealed class OpenClStepTests(OpenClBackend backend) : StepSuite(backend), IClassFixture<OpenClBackend>;

public sealed class CudaStepTests(CudaBackend backend) : StepSuite(backend), IClassFixture<CudaBackend>;
