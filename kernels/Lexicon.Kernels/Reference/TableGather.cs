namespace Lexicon.Kernels.Reference;

/// <summary>output[b] = Σ_s table[rowIndex[b, s]] (slots holding -1 add nothing).</summary>
public static class TableGather
{
    public static void Run(int[] rowIndex, int rows, int slots, double[] table, int d, double[] output)
    {
        for (int b = 0; b < rows; b++)
            for (int i = 0; i < d; i++)
            {
                double sum = 0;
                for (int s = 0; s < slots; s++)
                {
                    int r = rowIndex[b * slots + s];
                    if (r >= 0) sum += table[(long)r * d + i];
                }
                output[b * d + i] = sum;
            }
    }
}
