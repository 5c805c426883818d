namespace Lexicon.Kernels.Reference;

/// <summary>Entries grouped by the row they select: order[start[r] .. start[r+1]) are the entry ids of row r,
/// ascending; empty slots (index -1) are left out.</summary>
public static class GroupByRow
{
    public static void Run(int[] index, int count, int rowCount, int[] start, int[] order)
    {
        int next = 0;
        for (int r = 0; r < rowCount; r++)
        {
            start[r] = next;
            for (int e = 0; e < count; e++)
                if (index[e] == r) order[next++] = e;
        }
        start[rowCount] = next;
    }
}
