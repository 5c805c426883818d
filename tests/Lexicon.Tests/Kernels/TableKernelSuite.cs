using Lexicon.Kernels;
using Lexicon.Tests.Gpu;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>The lookup-table kernels of a backend against the float64 reference, at awkward sizes (B = 1, d off the
/// vector width, exact and hashed tables, invalid keys, rows hit many times).</summary>
public abstract class TableKernelSuite(BackendFixture? shared = null) : BackendSuite(shared)
{
    /// <summary>rows, d, exactRows (a unigram table), hashedRows.</summary>
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 1, 1, 3, 5 },
        { 7, 17, 10, 13 },
        { 64, 33, 40, 7 },
        { 300, 100, 50, 1000 },
    };

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void TableRows_match_reference_for_exact_and_hashed_tables(int rows, int d, int exactRows, int hashedRows)
    {
        Skip.If(SkipReason is not null, SkipReason);
        _ = d;
        var r = new TestRandom(300);
        var (unigram, bigram) = RandomKeys(r, rows, exactRows);
        const int stride = 3;
        var output = New<int>(rows * stride);
        K.TableRows(Up(unigram), rows, 1, 1, exactRows, 0, 0, output, stride, 0);
        K.TableRows(Up(bigram), rows, 2, 2, hashedRows, exactRows, 12345, output, stride, 1);
        var expected = new int[rows * stride];
        Ref.TableRows.Run(unigram, rows, 1, 1, exactRows, 0, 0, expected, stride, 0);
        Ref.TableRows.Run(bigram, rows, 2, 2, hashedRows, exactRows, 12345, expected, stride, 1);
        Compare.Equal(expected, output.ToArray(), "rows", r);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void TableGather_matches_reference(int rows, int d, int exactRows, int hashedRows)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(301);
        int total = exactRows + hashedRows;
        var rowIndex = RandomRowIndex(r, rows, 3, total);
        var table = r.Normal(total * d);
        var output = Up(r.Normal(rows * d)); // overwritten, not accumulated into
        K.TableGather(Up(rowIndex), rows, 3, Up(table), d, output);
        var expected = new double[rows * d];
        Ref.TableGather.Run(rowIndex, rows, 3, Compare.ToDouble(table), d, expected);
        Compare.Close(expected, output.ToArray(), "output", r);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void TableGrads_match_reference_with_repeated_rows(int rows, int d, int exactRows, int hashedRows)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(302);
        int total = exactRows + hashedRows;
        var rowIndex = RandomRowIndex(r, rows, 3, total);
        var source = r.Normal(rows * d);
        var indexView = Up(rowIndex);
        var start = New<int>(total + 1);
        var order = New<int>(rowIndex.Length);
        K.GroupByRow(indexView, rowIndex.Length, total, start, order);
        var touched = New<int>(rowIndex.Length);
        var rowGrads = New<float>(rowIndex.Length * d);
        var count = New<int>(1);
        K.TableGrads(start, order, indexView, 3, total, Up(source), -0.5f, d, touched, rowGrads, count);
        var (expectedRows, expectedGrads) = Ref.TableGrads.Run(rowIndex, rows, 3, Compare.ToDouble(source), -0.5, d);
        Assert.Equal(expectedRows.Length, count.ToArray()[0]);
        Compare.Equal(expectedRows, touched.ToArray()[..expectedRows.Length], "touched", r);
        Compare.Close(expectedGrads, rowGrads.ToArray()[..expectedGrads.Length], "rowGrads", r);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void SparseAdam_touches_only_the_touched_rows_with_per_row_steps_and_per_table_rates(int rows, int d, int exactRows, int hashedRows)
    {
        Skip.If(SkipReason is not null, SkipReason);
        _ = rows;
        var r = new TestRandom(303);
        int total = exactRows + hashedRows;
        var settings = new TableAdam([exactRows, total], [1e-2f, 3e-3f]);
        var table = r.Normal(total * d);
        var tableView = Up(table);
        var m1 = Up(r.Normal(total * d, 0.1));
        var m2 = Up(r.Uniform(total * d, 0, 0.1));
        var steps = Enumerable.Range(0, total).Select(_ => r.Next(4)).ToArray();
        var stepsView = Up(steps);
        var expectedTable = Compare.ToDouble(table);
        var e1 = Compare.ToDouble(m1.ToArray());
        var e2 = Compare.ToDouble(m2.ToArray());
        var expectedSteps = (int[])steps.Clone();
        for (int step = 1; step <= 3; step++)
        {
            var touched = Enumerable.Range(0, total).Where(_ => r.Next(3) == 0).ToArray();
            var grads = r.Normal(touched.Length * d);
            K.SparseAdam(tableView, m1, m2, stepsView, Up(touched), Up(grads), Up(new[] { touched.Length }), d, settings);
            Ref.SparseAdam.Run(expectedTable, e1, e2, expectedSteps, touched, Compare.ToDouble(grads), d, settings);
        }
        Compare.Close(expectedTable, tableView.ToArray(), "table", r);
        Compare.Close(e1, m1.ToArray(), "moment1", r);
        Compare.Close(e2, m2.ToArray(), "moment2", r);
        Compare.Equal(expectedSteps, stepsView.ToArray(), "rowSteps", r);
    }

    [SkippableFact]
    public void AddScaled_matches_reference()
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(304);
        foreach (int n in new[] { 1, 15, 16, 17, 200_003 })
        {
            var x = r.Normal(n);
            var y = r.Normal(n);
            var yView = Up(y);
            K.AddScaled(Up(x), -0.75f, yView, n);
            var expected = Compare.ToDouble(y);
            Ref.AddScaled.Run(Compare.ToDouble(x), -0.75, expected, n);
            Compare.Close(expected, yView.ToArray(), $"y (n = {n})", r);
        }
    }

    /// <summary>Unigram keys (token ids) and bigram keys (previous, current) with -1 where a key would cross a
    /// sequence start.</summary>
    internal static (int[] Unigram, int[] Bigram) RandomKeys(TestRandom r, int rows, int vocab)
    {
        var unigram = new int[rows];
        var bigram = new int[rows * 2];
        for (int b = 0; b < rows; b++)
        {
            unigram[b] = r.Next(vocab);
            bigram[2 * b] = r.Next(5) == 0 ? -1 : r.Next(vocab);
            bigram[2 * b + 1] = unigram[b];
        }
        return (unigram, bigram);
    }

    /// <summary>Rows drawn from a small range so that rows repeat across tokens; some slots empty.</summary>
    private static int[] RandomRowIndex(TestRandom r, int rows, int slots, int total) =>
        Enumerable.Range(0, rows * slots).Select(_ => r.Next(6) == 0 ? -1 : r.Next(Math.Max(1, total / 2))).ToArray();
}
