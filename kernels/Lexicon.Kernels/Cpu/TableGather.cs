namespace Lexicon.Kernels.Cpu;

/// <summary>output[b] = Σ_s table[rowIndex[b, s]]: one row gather per slot.</summary>
public static unsafe class TableGather
{
    public static void Run(int* rowIndex, int rows, int slots, float* table, int d, float* output)
    {
        CpuParallel.For(rows, 64, (b0, b1) =>
        {
            for (int b = b0; b < b1; b++)
            {
                float* y = output + (long)b * d;
                Simd.Zero(y, d);
                for (int s = 0; s < slots; s++)
                {
                    int r = rowIndex[(long)b * slots + s];
                    if (r >= 0) Simd.Axpy(1, table + (long)r * d, y, d);
                }
            }
        });
    }
}
