namespace Lexicon.Model;

/// <summary>Where each table sits in the one [TotalRows, d] table buffer and in a batch's [rows, Slots] row-index
/// matrix and [rows, Σ key length] key matrix.</summary>
public sealed class TableLayout
{
    public TableLayout(IReadOnlyList<TableSpec> tables)
    {
        Tables = tables;
        RowOffsets = new int[tables.Count];
        SlotColumns = new int[tables.Count];
        KeyColumns = new int[tables.Count];
        long rows = 0;
        for (int t = 0; t < tables.Count; t++)
        {
            RowOffsets[t] = (int)rows;
            SlotColumns[t] = Slots;
            KeyColumns[t] = KeyWidth;
            rows += tables[t].Rows;
            Slots += tables[t].Slots;
            KeyWidth += tables[t].KeyLength;
        }
        if (rows > int.MaxValue / 2) throw new BadInputException($"the tables have {rows} rows in all; at most {int.MaxValue / 2} are supported");
        TotalRows = (int)rows;
    }

    public IReadOnlyList<TableSpec> Tables { get; }
    public int[] RowOffsets { get; }
    public int[] SlotColumns { get; }
    public int[] KeyColumns { get; }
    public int TotalRows { get; }
    public int Slots { get; }
    public int KeyWidth { get; }
    public bool IsEmpty => Tables.Count == 0;
}
