using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;
using Lexicon.Model;
using Lexicon.Tests.Gpu;
using Lexicon.Tests.Kernels;
using Lexicon.Training;
using static Lexicon.Tests.Support.StepComparison;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Training;

/// <summary>A backend's whole training step (forward, AuxK, grouping, sparse backward; with lookup tables and a feature
/// pool) against the float64 reference step, on every backend the machine has: views at offsets into the step's shared
/// allocations, and AuxK's half of the selection, as the trainer hands them out.</summary>
public abstract class TrainingStepSuite(BackendFixture? shared = null) : BackendSuite(shared)
{
    [SkippableTheory]
    [InlineData(1, 5, 7, 1, 0, 0)]
    [InlineData(6, 17, 40, 3, 4, 1)]
    [InlineData(6, 17, 40, 3, 4, 9)]
    [InlineData(29, 33, 70, 8, 16, 5)]
    public void Step_selections_and_gradients_match_reference(int rows, int d, int latents, int k, int kAux, int deadCount)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(200 + rows + deadCount);
        var reference = GradientCheckTests.RandomSae(r, d, latents);
        var x = r.Normal(rows * d);
        var dead = new int[latents];
        for (int m = 0; m < deadCount; m++) dead[(m * 7) % latents] = 1;
        const float aux = 1 / 32f, normalizer = 1.3f;

        using var run = Compute(K, ToFloat(reference, d, latents), x, dead, k, kAux, aux, normalizer);
        var step = run.Step;

        int kAuxUsed = Math.Min(kAux, dead.Sum());
        double effectiveAux = kAux == 0 ? 0 : aux * Math.Min(1.0, (double)dead.Sum() / kAux);
        var forward = Ref.SaeStep.Forward(reference, Compare.ToDouble(x), rows, k, dead, kAuxUsed, effectiveAux, normalizer);
        var expected = Ref.SaeStep.Backward(reference, forward, rows, k, kAuxUsed);
        CheckSelectionsAndGradients(forward, expected, step, rows, kAuxUsed, r);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_with_tables_and_pool_matches_reference(bool subtract)
    {
        Skip.If(SkipReason is not null, SkipReason);
        const int rows = 23, d = 19, latents = 40, k = 4, kAux = 6, vocab = 11, hashedRows = 13, poolRows = 17, active = 5;
        var r = new TestRandom(250 + (subtract ? 1 : 0));
        var reference = GradientCheckTests.RandomSae(r, d, latents);
        var x = r.Normal(rows * d);
        var dead = Enumerable.Range(0, latents).Select(m => m % 3 == 0 ? 1 : 0).ToArray();
        var layout = new TableLayout(TableSpec.Parse("unigram;bigram", vocab, hashedRows));
        // Keys as TableKeys lays them out: the unigram block [rows, 1], then the bigram block [rows, 2].
        var keys = new int[rows * layout.KeyWidth];
        for (int b = 0; b < rows; b++)
        {
            keys[b] = r.Next(vocab);
            keys[rows + 2 * b] = b % 4 == 0 ? -1 : r.Next(vocab);
            keys[rows + 2 * b + 1] = keys[b];
        }
        var tableValues = r.Normal(layout.TotalRows * d, 0.5);
        var poolValues = r.Normal(poolRows * d, 0.5);
        var poolIndex = Enumerable.Range(0, rows * active).Select(i => i % 3 == 2 ? -1 : r.Next(poolRows)).ToArray();
        var poolActivation = r.Uniform(rows * active, 0.2, 1.5);
        const float aux = 1 / 32f, normalizer = 1.1f;

        var tables = new DeviceTables(K, layout, d, rows, [1e-2f, 1e-3f]);
        tables.Load(new TableWeights(layout, d, tableValues));
        var pool = new DevicePool(K, poolRows, d, active, rows, 1e-3f);
        pool.Load(poolValues);
        using var run = Compute(K, ToFloat(reference, d, latents), x, dead, k, kAux, aux, normalizer, new KnownPart(K, rows, d, tables, pool, subtract),
            upload: () =>
            {
                pool.Upload(poolIndex, poolActivation);
                tables.UploadKeys(keys);
            });
        var step = run.Step;

        var rowIndex = tables.RowIndex.Slice(0, rows * layout.Slots).ToArray();
        var expectedRows = new int[rows * layout.Slots];
        Ref.TableRows.Run(keys[..rows], rows, 1, 1, vocab, 0, layout.Tables[0].Seed, expectedRows, layout.Slots, 0);
        Ref.TableRows.Run(keys[rows..], rows, 2, 2, hashedRows, vocab, layout.Tables[1].Seed, expectedRows, layout.Slots, 1);
        Compare.Equal(expectedRows, rowIndex, "rowIndex", r);

        int kAuxUsed = Math.Min(kAux, dead.Sum());
        double effectiveAux = aux * Math.Min(1.0, (double)dead.Sum() / kAux);
        var known = new Ref.SaeKnown(new Ref.SaeTables(Compare.ToDouble(tableValues), rowIndex, layout.Slots),
            new Ref.SaePool(Compare.ToDouble(poolValues), poolIndex, Compare.ToDouble(poolActivation), active), subtract);
        var forward = Ref.SaeStep.Forward(reference, Compare.ToDouble(x), rows, k, dead, kAuxUsed, effectiveAux, normalizer, null, known);
        var expected = Ref.SaeStep.Backward(reference, forward, rows, k, kAuxUsed);
        var (expectedTable, expectedPool) = Ref.SaeStep.KnownBackward(reference, forward, known, rows, k, kAuxUsed);
        CheckSelectionsAndGradients(forward, expected, step, rows, kAuxUsed, r);

        // The touched rows' gradients, scattered back to dense tables for comparison.
        Compare.Close(expectedTable!, Dense(tables.TouchedCount!, tables.Touched!, tables.RowGrads!, layout.TotalRows, d), "dTable", r);
        Compare.Close(expectedPool!, Dense(pool.TouchedCount!, pool.Touched!, pool.RowGrads!, poolRows, d), "dPool", r);
    }

    /// <summary>The step's main and AuxK selections exactly the reference's, its four weight gradients within fp32 tolerance.</summary>
    private static void CheckSelectionsAndGradients(Ref.SaeForward forward, Ref.SaeWeights expected, TrainingStep step, int rows, int kAuxUsed, TestRandom r)
    {
        Compare.Equal(forward.Index, step.Buffers.For(rows).MainIndex.ToArray(), "index", r);
        Compare.Equal(forward.AuxIndex, step.Buffers.For(rows).AuxIndex(kAuxUsed).ToArray(), "aux index", r);
        var actual = SaeWeights.ReadFrom(step.Gradients.ToArray(), step.Sae.Layout);
        Compare.Close(expected.WEnc, actual.WEnc, "dWEnc", r);
        Compare.Close(expected.BEnc, actual.BEnc, "dBEnc", r);
        Compare.Close(expected.WDec, actual.WDec, "dWDec", r);
        Compare.Close(expected.BDec, actual.BDec, "dBDec", r);
    }
}

public sealed class CpuTrainingStepTests : TrainingStepSuite
{
    protected override IKernels CreateKernels() => new CpuKernels();
}

public sealed class IlgpuCpuTrainingStepTests(IlgpuCpuBackend backend) : TrainingStepSuite(backend), IClassFixture<IlgpuCpuBackend>;

public sealed class OpenClTrainingStepTests(OpenClBackend backend) : TrainingStepSuite(backend), IClassFixture<OpenClBackend>;

public sealed class CudaTrainingStepTests(CudaBackend backend) : TrainingStepSuite(backend), IClassFixture<CudaBackend>;
