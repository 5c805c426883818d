using ScottPlot;

namespace Lexicon.Cli;

/// <summary>The report's PNG plots, each a small ScottPlot figure over layers.</summary>
public static class ReportPlots
{
    /// <summary>One line per series over the layers (NMSE, dead fraction, ...).</summary>
    public static void Lines(string path, string title, string yLabel, int[] layers, IReadOnlyList<(string Name, double[] Values)> series)
    {
        var plot = new Plot();
        foreach (var (name, values) in series)
        {
            var scatter = plot.Add.Scatter(layers.Select(l => (double)l).ToArray(), values);
            scatter.LegendText = name;
        }
        LayerAxis(plot, layers);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 900, 500);
    }

    /// <summary>Stacked bars per layer: the share of the variance each part of the reconstruction carries.</summary>
    public static void StackedShares(string path, string title, int[] layers, IReadOnlyList<(string Name, double[] Values)> parts)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bottoms = new double[layers.Length];
        for (int p = 0; p < parts.Count; p++)
        {
            var bars = new List<Bar>();
            for (int l = 0; l < layers.Length; l++)
            {
                double value = Math.Max(0, parts[p].Values[l]);
                bars.Add(new Bar { Position = layers[l], ValueBase = bottoms[l], Value = bottoms[l] + value, FillColor = palette.GetColor(p) });
                bottoms[l] += value;
            }
            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = parts[p].Name, FillColor = palette.GetColor(p) });
        }
        LayerAxis(plot, layers);
        plot.Title(title);
        plot.YLabel("share of variance");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 900, 500);
    }

    private static void LayerAxis(Plot plot, int[] layers)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(layers.Select(l => (double)l).ToArray(), layers.Select(l => $"{l}").ToArray());
        plot.XLabel("layer");
    }
}
