namespace Lexicon.Kernels.Reference;

/// <summary>The gradient of every touched pool row from the definition: row g gets value·grad[b] for each active (b, g).</summary>
public static class PoolGrads
{
    public static (int[] Touched, double[] RowGrads) Run(int[] index, double[] value, int rows, int active, double[] grad, double scale, int d)
    {
        var touched = index.Where(g => g >= 0).Distinct().Order().ToArray();
        var grads = new double[touched.Length * d];
        for (int u = 0; u < touched.Length; u++)
            for (int e = 0; e < rows * active; e++)
                if (index[e] == touched[u])
                    for (int i = 0; i < d; i++) grads[u * d + i] += scale * value[e] * grad[e / active * d + i];
        return (touched, grads);
    }
}
