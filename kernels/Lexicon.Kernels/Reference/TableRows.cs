namespace Lexicon.Kernels.Reference;

/// <summary>Table rows for keys: exact (row = offset + token) or two hashed slots; -1 for invalid keys.</summary>
public static class TableRows
{
    public static void Run(int[] keys, int rows, int keyLength, int hashes, int tableRows, int rowOffset, uint seed,
        int[] output, int stride, int column)
    {
        for (int b = 0; b < rows; b++)
        {
            var key = keys.AsSpan(b * keyLength, keyLength);
            bool valid = !key.Contains(-1);
            for (int s = 0; s < hashes; s++)
                output[b * stride + column + s] = !valid ? -1
                    : hashes == 1 ? rowOffset + key[0]
                    : rowOffset + TableHash.Row(key, seed, s, tableRows);
        }
    }
}
