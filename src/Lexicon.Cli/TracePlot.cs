using Lexicon.Suite;
using ScottPlot;

namespace Lexicon.Cli;

/// <summary>trace.png: decoder norm per layer for the strongest pooled features (lines), and a heat map of the norms of
/// the strongest features across layers (rows: features by peak variance share, each labelled; columns: layers, labelled
/// by number; a colour bar for the norm). Features are labelled by <c>label</c> (the report: id with top tokens).</summary>
public static class TracePlot
{
    public static void Save(SuiteTrace trace, string path, Func<string, string>? label = null, int lines = 20, int heatRows = 40)
    {
        label ??= id => id;
        var strongest = trace.Features.OrderByDescending(f => f.PeakShare).ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var linesPlot = multiplot.GetPlot(0);
        foreach (var feature in strongest.Take(lines))
        {
            var scatter = linesPlot.Add.Scatter(feature.Points.Select(p => (double)p.Layer).ToArray(), feature.Points.Select(p => p.Norm).ToArray());
            scatter.LegendText = label(feature.Id);
        }
        linesPlot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            trace.Layers.Select(l => (double)l).ToArray(), trace.Layers.Select(l => $"{l}").ToArray());
        linesPlot.Title($"Decoder norm per layer, {Math.Min(lines, strongest.Count)} strongest pooled features");
        linesPlot.XLabel("layer");
        linesPlot.YLabel("decoder norm");
        linesPlot.ShowLegend(Edge.Right);

        var heatPlot = multiplot.GetPlot(1);
        var rows = strongest.Take(heatRows).ToList();
        int columns = trace.Layers.Length;
        var norms = new double[Math.Max(1, rows.Count), columns];
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < columns; c++)
            {
                var point = rows[r].Points.FirstOrDefault(p => p.Layer == trace.Layers[c]);
                norms[r, c] = point.Layer == trace.Layers[c] && point.Norm > 0 ? point.Norm : double.NaN;
            }
        var heatmap = heatPlot.Add.Heatmap(norms);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        // Cell (r, c) centred on x = c and y = rows − 1 − r (row 0 on top), so the ticks can name layers and features.
        heatmap.Rectangle = new CoordinateRect(-0.5, columns - 0.5, -0.5, norms.GetLength(0) - 0.5);
        heatPlot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, columns).Select(c => (double)c).ToArray(), trace.Layers.Select(l => $"{l}").ToArray());
        heatPlot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, rows.Count).Select(r => (double)(norms.GetLength(0) - 1 - r)).ToArray(), rows.Select(f => label(f.Id)).ToArray());
        heatPlot.Axes.SetLimits(-0.5, columns - 0.5, -0.5, norms.GetLength(0) - 0.5);
        var colorBar = heatPlot.Add.ColorBar(heatmap);
        colorBar.Label = "decoder norm";
        heatPlot.XLabel("layer");
        heatPlot.Title($"Decoder norm of the {rows.Count} strongest pooled features (rows, by peak variance share) through the layers (blank: not pooled there)");
        multiplot.SavePng(path, 1400, 1600);
    }
}
