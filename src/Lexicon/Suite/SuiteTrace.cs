using Lexicon.Metrics;
using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Data.Formats;
using Lexicon.Synthetic;

namespace Lexicon.Suite;

/// <summary>How well the suite traced planted features (synthetic stores): the cosine of the traced decoder with the
/// planted direction at each later layer, and how often a fading feature's death was detected within a layer.</summary>
public sealed record TraceRecovery(int Recovered, int Planted, double TraceCosine, int TracePairs, double DeathLayerAccuracy, int Fading);

/// <summary>
/// Reads a finished (or partly finished) suite directory and follows every pooled feature that fired at birth through
/// the layers after it: decoder norm, cosine to its birth direction and to the layer before, variance share, death.
/// With the store's ground truth it also measures recovery (see <see cref="TraceRecovery"/>).
/// </summary>
public sealed class SuiteTrace
{
    private SuiteTrace(IReadOnlyList<FeatureTrace> features, int[] layers, string? data)
    {
        Features = features;
        Layers = layers;
        Data = data;
    }

    public IReadOnlyList<FeatureTrace> Features { get; }
    public int[] Layers { get; }
    public string? Data { get; }

    /// <summary>Traces built elsewhere (the matching baseline's chains), measured and written as the suite's are.</summary>
    internal static SuiteTrace Of(IReadOnlyList<FeatureTrace> features, int[] layers, string? data) => new(features, layers, data);

    public static SuiteTrace Load(string root)
    {
        var manifest = SuiteFiles.RequireManifest(root);
        var layers = manifest.CompletedLayers.Order().ToArray();
        string? data = manifest.Config.Data;
        var features = new List<FeatureTrace>();
        var pools = layers.ToDictionary(l => l, l => OpenPool(SuiteFiles.LayerDirectory(root, l)));
        try
        {
            foreach (var record in manifest.Sources)
            {
                var (name, birth, death) = (record.Name, record.BirthLayer, record.Death);
                string codesPath = SuiteFiles.CodesFile(root, name);
                using var codes = SafeTensorsFile.Open(codesPath);
                var birthDecoder = codes.ReadFloats("birth_decoder");
                var birthShare = codes.ReadFloats("birth_share");
                var firings = Firings(codes.ReadInts("index"), codes.ReadFloats("value"), death.Length);
                int d = birthDecoder.Length / death.Length;
                for (int m = 0; m < death.Length; m++)
                {
                    if (firings[m] == 0) continue;
                    var birthRow = birthDecoder.AsSpan(m * d, d).ToArray();
                    var points = new List<TracePoint> { new(birth, Vectors.Norm(birthRow), 1, null, birthShare[m]) };
                    var trace = new FeatureTrace(name, m, birth, death[m] >= 0 ? death[m] : null, firings[m], points);
                    trace.Directions[birth] = birthRow;
                    var previous = birthRow;
                    foreach (int layer in layers.Where(l => l > birth))
                    {
                        if (!pools[layer].TryGetValue(name, out var pool)) continue;
                        var row = pool.Rows.AsSpan(m * d, d).ToArray();
                        points.Add(new TracePoint(layer, Vectors.Norm(row), Vectors.Cosine(row, birthRow), Vectors.Cosine(row, previous), pool.Shares[m]));
                        trace.Directions[layer] = row;
                        previous = row;
                        if (death[m] == layer) break;
                    }
                    features.Add(trace);
                }
            }
        }
        finally
        {
            foreach (var pool in pools.Values) pool.Clear();
        }
        return new SuiteTrace(features, layers, data);
    }

    /// <summary>Recovery of the planted features: a planted feature counts as recovered when some feature born at its
    /// birth layer (an own latent there, or the enriched SAE's) has cosine ≥ 0.9 with it; its trace is then compared with
    /// the planted direction at every later layer where the planted feature is alive (a pruned trace scores 0 there).</summary>
    public TraceRecovery Recover(GroundTruth truth)
    {
        double cosineSum = 0;
        int pairs = 0, recovered = 0, planted = 0, fading = 0, accurate = 0;
        int last = Layers.Max();
        for (int f = 0; f < truth.Features; f++)
        {
            int birth = truth.Birth[f];
            if (!Layers.Contains(birth)) continue;
            planted++;
            var direction = truth.FeatureDirections(birth).AsSpan(f * truth.D, truth.D).ToArray();
            var match = Features.Where(t => t.BirthLayer == birth)
                .Select(t => (Trace: t, Cosine: Vectors.Cosine(t.Directions[birth], direction)))
                .DefaultIfEmpty().MaxBy(x => x.Cosine);
            if (match.Trace is null || match.Cosine < 0.9) continue;
            recovered++;
            foreach (int layer in Layers.Where(l => l > birth && truth.IsAlive(f, l)))
            {
                var planted_ = truth.FeatureDirections(layer).AsSpan(f * truth.D, truth.D).ToArray();
                cosineSum += match.Trace.Directions.TryGetValue(layer, out var row) && !(match.Trace.DeathLayer <= layer) ? Vectors.Cosine(row, planted_) : 0;
                pairs++;
            }
            int plantedDeath = truth.Death[f];
            if (plantedDeath < 0 || plantedDeath > last) continue;
            fading++;
            int detected = match.Trace.DeathLayer ?? last + 1;
            if (Math.Abs(detected - plantedDeath) <= 1) accurate++;
        }
        return new TraceRecovery(recovered, planted, pairs > 0 ? cosineSum / pairs : double.NaN, pairs,
            fading > 0 ? (double)accurate / fading : double.NaN, fading);
    }

    public JsonObject ToJson(TraceRecovery? recovery, ChainPrecisionResult? precision = null) => new()
    {
        ["layers"] = new JsonArray(Layers.Select(l => (JsonNode)l).ToArray()),
        ["features"] = new JsonArray(Features.Select(FeatureJson).ToArray()),
        ["trace_cosine"] = Finite(recovery?.TraceCosine),
        ["death_layer_accuracy"] = Finite(recovery?.DeathLayerAccuracy),
        ["recovered_at_birth"] = recovery?.Recovered,
        ["planted_features"] = recovery?.Planted,
        ["fading_recovered"] = recovery?.Fading,
        ["chain_precision"] = Finite(precision?.Precision),
        ["chains_on_planted"] = precision?.Chains,
    };

    /// <summary>A metric for JSON: null where nothing was there to measure (NaN).</summary>
    public static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    public static JsonObject FeatureJson(FeatureTrace t) => new()
    {
        ["id"] = t.Id,
        ["source"] = t.Source,
        ["latent"] = t.Latent,
        ["birth_layer"] = t.BirthLayer,
        ["death_layer"] = t.DeathLayer,
        ["firings_at_birth"] = t.Firings,
        ["trajectory"] = new JsonArray(t.Points.Select(p => (JsonNode)PointJson(p)).ToArray()),
    };

    private static JsonObject PointJson(TracePoint p)
    {
        var json = new JsonObject
        {
            ["layer"] = p.Layer,
            ["norm"] = p.Norm,
            ["cos_birth"] = p.CosineToBirth,
            ["cos_previous"] = p.CosineToPrevious,
            ["share"] = p.Share,
        };
        // Only a chain changes latents from layer to layer; a pooled feature keeps its id.
        if (p.Latent is { } latent) json["latent"] = latent;
        return json;
    }

    private sealed record PoolAtLayer(float[] Rows, float[] Shares);

    /// <summary>A layer's pooled decoders and shares by source name.</summary>
    private static Dictionary<string, PoolAtLayer> OpenPool(string directory)
    {
        var result = new Dictionary<string, PoolAtLayer>();
        string path = Path.Combine(directory, Checkpoint.TablesFile);
        if (!File.Exists(path)) return result;
        using var file = SafeTensorsFile.Open(path);
        foreach (var name in file.Tensors.Keys.Where(n => n.StartsWith("pool.", StringComparison.Ordinal)))
        {
            string source = name["pool.".Length..];
            result[source] = new PoolAtLayer(file.ReadFloats(name), file.ReadFloats("pool_share." + source));
        }
        return result;
    }

    internal static long[] Firings(int[] index, float[] value, int latents)
    {
        var firings = new long[latents];
        for (int e = 0; e < index.Length; e++)
            if (index[e] >= 0 && value[e] > 0) firings[index[e]]++;
        return firings;
    }
}
