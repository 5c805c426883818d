using Lexicon.Synthetic;

namespace Lexicon.Suite;

/// <summary>Of the traces that start on a planted feature and claim at least one later layer, the share that stay on it.</summary>
public sealed record ChainPrecisionResult(double Precision, int Chains, int Stayed);

/// <summary>
/// Chain precision on a synthetic store: a trace (a pooled feature of the suite, a chain of the matching baseline) starts
/// on planted feature f when its birth direction has cosine ≥ 0.9 with f, f the nearest planted feature alive there. It
/// stays on f when, at every later layer it claims (before its death layer), the nearest live planted feature is f
/// while f lives, and, where f has died, no live planted feature has cosine ≥ 0.5 with it (it has not jumped to another).
/// </summary>
public static class ChainPrecision
{
    public const double StartCosine = 0.9;
    public const double JumpCosine = 0.5;

    public static ChainPrecisionResult Measure(SuiteTrace trace, GroundTruth truth)
    {
        int chains = 0, stayed = 0;
        foreach (var feature in trace.Features)
        {
            var later = trace.Layers.Where(l => l > feature.BirthLayer && !(feature.DeathLayer <= l) && feature.Directions.ContainsKey(l)).ToArray();
            if (later.Length == 0 || !feature.Directions.TryGetValue(feature.BirthLayer, out var birth)) continue;
            var (f, cosine) = Nearest(truth, feature.BirthLayer, birth);
            if (f < 0 || cosine < StartCosine) continue;
            chains++;
            if (later.All(l => Stays(truth, f, l, feature.Directions[l]))) stayed++;
        }
        return new ChainPrecisionResult(chains > 0 ? (double)stayed / chains : double.NaN, chains, stayed);
    }

    private static bool Stays(GroundTruth truth, int f, int layer, float[] row)
    {
        var (nearest, cosine) = Nearest(truth, layer, row);
        return truth.IsAlive(f, layer) ? nearest == f : nearest < 0 || cosine < JumpCosine;
    }

    /// <summary>The live planted feature at a layer with the largest cosine to a direction, or −1 if none lives there.</summary>
    private static (int Feature, double Cosine) Nearest(GroundTruth truth, int layer, float[] row)
    {
        var directions = truth.FeatureDirections(layer);
        int d = truth.D, best = -1;
        double bestCosine = double.NegativeInfinity, rowNorm = 0;
        for (int i = 0; i < d; i++) rowNorm += (double)row[i] * row[i];
        if (rowNorm == 0) return (-1, 0);
        for (int g = 0; g < truth.Features; g++)
        {
            if (!truth.IsAlive(g, layer)) continue;
            double dot = 0, norm = 0;
            for (int i = 0; i < d; i++)
            {
                dot += (double)row[i] * directions[g * d + i];
                norm += (double)directions[g * d + i] * directions[g * d + i];
            }
            double cosine = norm == 0 ? 0 : dot / Math.Sqrt(norm * rowNorm);
            if (cosine > bestCosine) (best, bestCosine) = (g, cosine);
        }
        return (best, bestCosine);
    }
}
