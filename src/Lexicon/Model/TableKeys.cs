namespace Lexicon.Model;

/// <summary>
/// Builds the keys of a batch's tokens from the store's token ids and positions: for each table and offset o, the token
/// at row + o if it lies in the same sequence (its position is the row's position + o), else -1, which voids the key:
/// keys never reach across a sequence start (or past a sequence end, for positive offsets).
/// </summary>
public sealed class TableKeys(TableLayout layout, int[] tokens, int[] positions)
{
    /// <summary>Fills keys, laid out table after table, each block [count, keyLength].</summary>
    public void Fill(ReadOnlySpan<long> rows, int count, Span<int> keys)
    {
        int block = 0;
        foreach (var table in layout.Tables)
        {
            int n = table.KeyLength;
            for (int b = 0; b < count; b++)
            {
                long row = rows[b];
                for (int j = 0; j < n; j++)
                {
                    long i = row + table.Offsets[j];
                    bool sameSequence = i >= 0 && i < tokens.Length && positions[i] == positions[row] + table.Offsets[j];
                    keys[block + b * n + j] = sameSequence ? tokens[i] : -1;
                }
            }
            block += count * n;
        }
    }
}
