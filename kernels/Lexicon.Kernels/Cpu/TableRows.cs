using System.Runtime.CompilerServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>Table rows for each token's key: exact tables index by the token, hashed tables take two hashed slots.</summary>
public static unsafe class TableRows
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int* keys, int rows, int keyLength, int hashes, int tableRows, int rowOffset, uint seed,
        int* output, int stride, int column)
    {
        CpuParallel.For(rows, 1024, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b0, b1) =>
        {
            for (int b = b0; b < b1; b++)
            {
                var key = new ReadOnlySpan<int>(keys + (long)b * keyLength, keyLength);
                int* row = output + (long)b * stride + column;
                if (key.Contains(-1))
                {
                    for (int s = 0; s < hashes; s++) row[s] = -1;
                    continue;
                }
                if (hashes == 1)
                {
                    row[0] = rowOffset + key[0];
                    continue;
                }
                for (int s = 0; s < hashes; s++) row[s] = rowOffset + TableHash.Row(key, seed, s, tableRows);
            }
        });
    }
}
