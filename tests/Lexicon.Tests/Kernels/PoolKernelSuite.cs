using Lexicon.Kernels;
using Lexicon.Tests.Gpu;
using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>The feature-pool kernels of a backend against the float64 reference, at awkward sizes (B = 1, one active
/// feature, d off the vector width, pool rows hit by many tokens, empty slots).</summary>
public abstract class PoolKernelSuite(BackendFixture? shared = null) : BackendSuite(shared)
{
    /// <summary>rows, d, active, poolRows.</summary>
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 1, 1, 1, 1 },
        { 5, 17, 3, 9 },
        { 64, 33, 8, 40 },
        { 257, 100, 26, 700 },
    };

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void PoolDecode_accumulates_like_reference(int rows, int d, int active, int poolRows)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(500);
        var (index, value) = Selection(r, rows, active, poolRows);
        var pool = r.Normal(poolRows * d, 0.7);
        var start = r.Normal(rows * d);
        var output = Up(start);
        K.PoolDecode(Up(index), Up(value), rows, active, Up(pool), d, output);
        var expected = Compare.ToDouble(start);
        Ref.PoolDecode.Run(index, Compare.ToDouble(value), rows, active, Compare.ToDouble(pool), d, expected);
        Compare.Close(expected, output.ToArray(), "output", r);
    }

    [SkippableTheory, MemberData(nameof(Shapes))]
    public void PoolGrads_match_reference(int rows, int d, int active, int poolRows)
    {
        Skip.If(SkipReason is not null, SkipReason);
        var r = new TestRandom(501);
        var (index, value) = Selection(r, rows, active, poolRows);
        var grad = r.Normal(rows * d);
        var indexView = Up(index);
        var start = New<int>(poolRows + 1);
        var order = New<int>(index.Length);
        K.GroupByRow(indexView, index.Length, poolRows, start, order);
        var touched = New<int>(index.Length);
        var rowGrads = New<float>(index.Length * d);
        var count = New<int>(1);
        K.PoolGrads(start, order, indexView, Up(value), active, poolRows, Up(grad), -0.5f, d, touched, rowGrads, count);
        var (expectedRows, expectedGrads) = Ref.PoolGrads.Run(index, Compare.ToDouble(value), rows, active, Compare.ToDouble(grad), -0.5, d);
        Assert.Equal(expectedRows.Length, count.ToArray()[0]);
        Compare.Equal(expectedRows, touched.ToArray()[..expectedRows.Length], "touched", r);
        Compare.Close(expectedGrads, rowGrads.ToArray()[..expectedGrads.Length], "rowGrads", r);
    }

    /// <summary>Distinct pool rows per token drawn from the lower half of the pool (so rows repeat), positive activations,
    /// some empty slots.</summary>
    private static (int[] Index, float[] Value) Selection(TestRandom r, int rows, int active, int poolRows)
    {
        var index = new int[rows * active];
        var value = new float[rows * active];
        for (int b = 0; b < rows; b++)
        {
            var chosen = Enumerable.Range(0, Math.Max(1, poolRows / 2)).OrderBy(_ => r.Next(1 << 20)).Take(active).ToArray();
            for (int j = 0; j < active; j++)
            {
                bool empty = j >= chosen.Length || r.Next(5) == 0;
                index[b * active + j] = empty ? -1 : chosen[j];
                value[b * active + j] = empty ? 0 : (float)(0.2 + r.NextDouble());
            }
        }
        return (index, value);
    }
}
