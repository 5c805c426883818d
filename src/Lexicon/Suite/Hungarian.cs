namespace Lexicon.Suite;

/// <summary>
/// The Hungarian algorithm (Kuhn–Munkres with row and column potentials, O(n²·m)): a one-to-one assignment of the n rows
/// of a cost matrix to n of its m ≥ n columns with the least total cost. Used by the matching baseline to pair the
/// features of adjacent layers; a greedy pairing would let one strong pair block two others.
/// </summary>
public static class Hungarian
{
    /// <summary>For each row, its column. <paramref name="cost"/> is [rows, columns], row-major, rows ≤ columns.</summary>
    public static int[] Solve(double[] cost, int rows, int columns)
    {
        if (rows > columns) throw new ArgumentException($"rows ({rows}) must not exceed columns ({columns})", nameof(rows));
        if (cost.Length != (long)rows * columns) throw new ArgumentException("cost is not rows × columns", nameof(cost));
        // 1-based with a sentinel column 0 (e-maxx's formulation): u, v potentials; owner[j] the row holding column j.
        var u = new double[rows + 1];
        var v = new double[columns + 1];
        var owner = new int[columns + 1];
        var way = new int[columns + 1];
        var minimum = new double[columns + 1];
        var used = new bool[columns + 1];
        for (int i = 1; i <= rows; i++)
        {
            owner[0] = i;
            int j0 = 0;
            Array.Fill(minimum, double.PositiveInfinity);
            Array.Clear(used);
            do
            {
                used[j0] = true;
                int i0 = owner[j0], j1 = 0;
                double delta = double.PositiveInfinity;
                for (int j = 1; j <= columns; j++)
                {
                    if (used[j]) continue;
                    double reduced = cost[(long)(i0 - 1) * columns + (j - 1)] - u[i0] - v[j];
                    if (reduced < minimum[j]) { minimum[j] = reduced; way[j] = j0; }
                    if (minimum[j] < delta) { delta = minimum[j]; j1 = j; }
                }
                for (int j = 0; j <= columns; j++)
                    if (used[j]) { u[owner[j]] += delta; v[j] -= delta; }
                    else minimum[j] -= delta;
                j0 = j1;
            } while (owner[j0] != 0);
            // Augment along the alternating path back to the sentinel.
            do
            {
                int j1 = way[j0];
                owner[j0] = owner[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        var assignment = new int[rows];
        for (int j = 1; j <= columns; j++)
            if (owner[j] != 0) assignment[owner[j] - 1] = j - 1;
        return assignment;
    }
}
