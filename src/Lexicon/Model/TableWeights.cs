namespace Lexicon.Model;

/// <summary>The tables' values on the host: one [TotalRows, d] array, table after table.</summary>
public sealed record TableWeights(TableLayout Layout, int D, float[] Values)
{
    public static TableWeights Zeros(TableLayout layout, int d) => new(layout, d, new float[(long)layout.TotalRows * d]);

    public TableWeights Copy() => this with { Values = (float[])Values.Clone() };

    /// <summary>Table t's rows as a [Rows, d] span.</summary>
    public Span<float> Table(int t) => Values.AsSpan(Layout.RowOffsets[t] * D, Layout.Tables[t].Rows * D);
}
