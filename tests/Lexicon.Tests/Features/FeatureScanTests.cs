using Lexicon.Features;
using Lexicon.Suite;

namespace Lexicon.Tests.Features;

/// <summary>The scan of a source's codes on hand-made codes whose answers are known.</summary>
public sealed class FeatureScanTests
{
    /// <summary>Latent 0 fires on every row with value (row mod 7) + 1 (so values tie), latent 1 only on row 3, latent 2 never.</summary>
    private static PoolSource Codes(int rows = 200)
    {
        var index = new int[rows * 2];
        var value = new float[rows * 2];
        for (int r = 0; r < rows; r++)
        {
            index[2 * r] = 0;
            value[2 * r] = r % 7 + 1;
            index[2 * r + 1] = r == 3 ? 1 : -1;
            value[2 * r + 1] = r == 3 ? 0.5f : 0;
        }
        return new PoolSource("L01", 1, 3, 2, 2, new float[6], index, value);
    }

    [Fact]
    public void Strongest_rows_are_the_largest_values_with_ties_broken_by_the_lower_row()
    {
        var summary = FeatureScan.Run(Codes(), null, new ScanLimits { Strongest = 12, Top = 10 });
        var expected = Enumerable.Range(0, 200).Select(r => (Row: (long)r, Value: (float)(r % 7 + 1)))
            .OrderByDescending(e => e.Value).ThenBy(e => e.Row).Take(12).ToList();
        Assert.Equal(expected, summary[0].Strongest.Select(k => (k.Row, k.Value)).ToList());
        Assert.Equal(200, summary[0].Firings);
        Assert.Equal(7f, summary[0].Max);
        Assert.Equal(200, summary[0].Histogram.Sum());
        Assert.Equal(1, summary[1].Firings);
        Assert.Equal(0, summary[2].Firings);
    }

    [Fact]
    public void Band_samples_lie_in_their_band_below_the_top_ten_and_the_bands_count_every_other_firing()
    {
        var limits = new ScanLimits { Bands = 4, BandSamples = 3 };
        var summary = FeatureScan.Run(Codes(), null, limits)[0];
        var top = summary.Strongest.Take(limits.Top).Select(k => k.Row).ToHashSet();
        Assert.Equal(200 - limits.Top, summary.Bands.Sum(b => b.Firings));
        foreach (var band in summary.Bands)
        {
            Assert.Equal(Math.Min(3, band.Firings), band.Samples.Length);
            foreach (var sample in band.Samples)
            {
                Assert.DoesNotContain(sample.Row, top);
                Assert.InRange(sample.Value, band.From, band.To);
            }
        }
    }

    [Fact]
    public void Skipped_rows_count_nowhere()
    {
        var skip = new bool[200];
        skip[3] = true;
        var summary = FeatureScan.Run(Codes(), skip, new ScanLimits());
        Assert.Equal(199, summary[0].Firings);
        Assert.Equal(0, summary[1].Firings);
    }
}
