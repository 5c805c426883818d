using Lexicon.Suite;
using ScottPlot;

namespace Lexicon.Cli;

/// <summary>trace.png: decoder norm per layer for the strongest pooled features (lines), and a heat map of the norms of
/// the strongest features across layers (rows: features by peak variance share; columns: layers).</summary>
public static class TracePlot
{
    public static void Save(SuiteTrace trace, string path, int lines = 20, int heatRows = 100)
    {
        var strongest = trace.Features.OrderByDescending(f => f.PeakShare).ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var linesPlot = multiplot.GetPlot(0);
        foreach (var feature in strongest.Take(lines))
        {
            var scatter = linesPlot.Add.Scatter(feature.Points.Select(p => (double)p.Layer).ToArray(), feature.Points.Select(p => p.Norm).ToArray());
            scatter.LegendText = feature.Id;
        }
        linesPlot.Title($"Decoder norm per layer, {Math.Min(lines, strongest.Count)} strongest pooled features");
        linesPlot.XLabel("layer");
        linesPlot.YLabel("decoder norm");
        linesPlot.ShowLegend(Edge.Right);

        var heatPlot = multiplot.GetPlot(1);
        var rows = strongest.Take(heatRows).ToList();
        var norms = new double[Math.Max(1, rows.Count), trace.Layers.Length];
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < trace.Layers.Length; c++)
            {
                var point = rows[r].Points.FirstOrDefault(p => p.Layer == trace.Layers[c]);
                norms[r, c] = point.Layer == trace.Layers[c] && point.Norm > 0 ? point.Norm : double.NaN;
            }
        var heatmap = heatPlot.Add.Heatmap(norms);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatPlot.Add.ColorBar(heatmap);
        heatPlot.Title($"Decoder norm, {rows.Count} strongest features (rows) × layers {trace.Layers.First()}–{trace.Layers.Last()} (columns)");
        multiplot.SavePng(path, 1200, 1400);
    }
}
