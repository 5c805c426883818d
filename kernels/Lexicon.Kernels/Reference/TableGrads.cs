namespace Lexicon.Kernels.Reference;

/// <summary>The gradient of every touched table row, straight from the definition: row r gets scale·source[b] for each
/// (b, s) with rowIndex[b, s] = r. Returns the touched rows ascending and their gradients.</summary>
public static class TableGrads
{
    public static (int[] Touched, double[] RowGrads) Run(int[] rowIndex, int rows, int slots, double[] source, double scale, int d)
    {
        var touched = rowIndex.Where(r => r >= 0).Distinct().Order().ToArray();
        var grads = new double[touched.Length * d];
        for (int u = 0; u < touched.Length; u++)
            for (int e = 0; e < rows * slots; e++)
                if (rowIndex[e] == touched[u])
                    for (int i = 0; i < d; i++) grads[u * d + i] += scale * source[e / slots * d + i];
        return (touched, grads);
    }
}
