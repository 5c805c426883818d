using Lexicon.Suite;

namespace Lexicon.Tests.Suite;

/// <summary>The Hungarian assignment is one-to-one and its total cost equals the brute-force minimum over every injection
/// of rows into columns, on random cost matrices up to 7 × 7 (square and rectangular, with ties).</summary>
public sealed class HungarianTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 5)]
    [InlineData(5, 5)]
    [InlineData(6, 7)]
    [InlineData(7, 7)]
    public void Assignment_is_one_to_one_and_as_cheap_as_brute_force(int rows, int columns)
    {
        var random = new Random(rows * 31 + columns);
        for (int trial = 0; trial < 40; trial++)
        {
            // Every fourth matrix draws from few values, so that ties occur.
            var cost = Enumerable.Range(0, rows * columns)
                .Select(_ => trial % 4 == 0 ? random.Next(3) : random.NextDouble() * 2 - 1).ToArray();
            var assignment = Hungarian.Solve(cost, rows, columns);
            Assert.Equal(rows, assignment.Distinct().Count());
            Assert.All(assignment, j => Assert.InRange(j, 0, columns - 1));
            double total = Enumerable.Range(0, rows).Sum(i => cost[i * columns + assignment[i]]);
            Assert.Equal(BruteForce(cost, rows, columns), total, 9);
        }
    }

    [Fact]
    public void More_rows_than_columns_is_refused() =>
        Assert.Throws<ArgumentException>(() => Hungarian.Solve(new double[6], 3, 2));

    private static double BruteForce(double[] cost, int rows, int columns)
    {
        double best = double.PositiveInfinity;
        var taken = new bool[columns];
        void Walk(int i, double sum)
        {
            if (i == rows) { best = Math.Min(best, sum); return; }
            for (int j = 0; j < columns; j++)
            {
                if (taken[j]) continue;
                taken[j] = true;
                Walk(i + 1, sum + cost[i * columns + j]);
                taken[j] = false;
            }
        }
        Walk(0, 0);
        return best;
    }
}
