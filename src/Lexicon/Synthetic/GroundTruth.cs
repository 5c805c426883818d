using System.Globalization;
using Lexicon.Data.Formats;

namespace Lexicon.Synthetic;

/// <summary>
/// ground_truth.safetensors of a synthetic world, read back for recovery checks. Names, shapes and the small
/// per-feature vectors are checked on <see cref="Load"/>; the per-layer tables are read on first use and cached
/// (the file is reopened for each, so no handle is held). Returned arrays are the cached ones: do not modify them.
/// </summary>
public sealed class GroundTruth
{
    public const string FileName = "ground_truth.safetensors";
    public const string FormatName = "lexicon-ground-truth/1";

    internal const string BigramKeysName = "bigram_keys";
    internal const string SuccessorsName = "successors";
    internal const string BirthName = "feature_birth";
    internal const string DeathName = "feature_death";
    internal const string ProbabilityName = "feature_prob";

    /// <summary>In an expected shape: a dimension whose size is read from the file.</summary>
    private const long AnySize = -1;

    private readonly string _path;
    private readonly Dictionary<string, object> _cache = [];

    private GroundTruth(string path) => _path = path;

    public int Layers { get; private init; }
    public int D { get; private init; }
    public int Vocab { get; private init; }
    public int Features { get; private init; }
    public int BigramCount { get; private init; }

    /// <summary>The norm with which the unit bigram rows are added at layers ≥ 1.</summary>
    public float BigramNorm { get; private init; }

    public int[] Birth { get; private init; } = [];

    /// <summary>The first layer where the feature is gone; −1 when it never dies.</summary>
    public int[] Death { get; private init; } = [];

    /// <summary>Per feature, the chance it fires at a token.</summary>
    public float[] Probability { get; private init; } = [];

    internal static string TokenTableName(int layer) => $"token_table.L{layer:D2}";
    internal static string BigramTableName(int layer) => $"bigram_table.L{layer:D2}";
    internal static string FeatureDirectionsName(int layer) => $"feature_dirs.L{layer:D2}";

    public static GroundTruth Load(string path)
    {
        using var file = SafeTensorsFile.Open(path);
        string format = Meta(file, path, "format");
        if (format != FormatName) throw new BadInputException(path, $"format {Quoting.Quote(format)} is not '{FormatName}'");
        int layers = MetaInt(file, path, "layers"), d = MetaInt(file, path, "d_model");
        int vocab = MetaInt(file, path, "vocab"), features = MetaInt(file, path, "features");
        if (!float.TryParse(Meta(file, path, "bigram_norm"), NumberStyles.Float, CultureInfo.InvariantCulture, out float bigramNorm))
            throw new BadInputException(path, "metadata 'bigram_norm' is not a number");

        ExpectShape(file, path, BigramKeysName, AnySize, 2);
        int bigrams = (int)file.Get(BigramKeysName).Shape[0];
        ExpectShape(file, path, SuccessorsName, vocab, AnySize);
        for (int layer = 0; layer < layers; layer++)
        {
            ExpectShape(file, path, TokenTableName(layer), vocab, d);
            ExpectShape(file, path, BigramTableName(layer), bigrams, d);
            ExpectShape(file, path, FeatureDirectionsName(layer), features, d);
        }
        foreach (string name in (string[])[BirthName, DeathName, ProbabilityName])
            ExpectShape(file, path, name, features);

        var truth = new GroundTruth(path)
        {
            Layers = layers, D = d, Vocab = vocab, Features = features, BigramCount = bigrams, BigramNorm = bigramNorm,
            Birth = file.ReadInts(BirthName), Death = file.ReadInts(DeathName), Probability = file.ReadFloats(ProbabilityName),
        };
        truth.CheckLives();
        return truth;
    }

    /// <summary>E_l: [Vocab, D] unit rows, flattened.</summary>
    public float[] TokenTable(int layer) => Cached(TokenTableName(CheckLayer(layer)), static (f, n) => f.ReadFloats(n));

    /// <summary>[BigramCount, 2] (previous token, token), flattened.</summary>
    public int[] BigramKeys => Cached(BigramKeysName, static (f, n) => f.ReadInts(n));

    /// <summary>G_l: [BigramCount, D] unit rows, flattened (added with <see cref="BigramNorm"/> at layers ≥ 1).</summary>
    public float[] BigramTable(int layer) => Cached(BigramTableName(CheckLayer(layer)), static (f, n) => f.ReadFloats(n));

    /// <summary>[Vocab, successors per token], flattened.</summary>
    public int[] Successors => Cached(SuccessorsName, static (f, n) => f.ReadInts(n));

    /// <summary>D_{f,l}: [Features, D], flattened; zero rows for features not alive at the layer.</summary>
    public float[] FeatureDirections(int layer) => Cached(FeatureDirectionsName(CheckLayer(layer)), static (f, n) => f.ReadFloats(n));

    public bool IsAlive(int feature, int layer) =>
        layer >= Birth[feature] && (Death[feature] < 0 || layer < Death[feature]);

    public int[] AliveFeatures(int layer)
    {
        CheckLayer(layer);
        return [.. Enumerable.Range(0, Features).Where(f => IsAlive(f, layer))];
    }

    private T Cached<T>(string name, Func<SafeTensorsFile, string, T> read) where T : class
    {
        lock (_cache)
        {
            if (!_cache.TryGetValue(name, out object? values))
            {
                using var file = SafeTensorsFile.Open(_path);
                _cache[name] = values = read(file, name);
            }
            return (T)values;
        }
    }

    private int CheckLayer(int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Layers);
        return layer;
    }

    /// <summary>A feature is born at a layer and, if it dies, dies at a later one.</summary>
    private void CheckLives()
    {
        for (int f = 0; f < Features; f++)
        {
            bool ok = Birth[f] >= 0 && Birth[f] < Layers && (Death[f] == -1 || (Death[f] > Birth[f] && Death[f] < Layers));
            if (!ok) throw new BadInputException(_path, $"feature {f} has birth {Birth[f]} and death {Death[f]}, not a life within {Layers} layers");
        }
    }

    private static string Meta(SafeTensorsFile file, string path, string key) =>
        file.Metadata.TryGetValue(key, out string? value) ? value : throw new BadInputException(path, $"missing metadata '{key}'");

    private static int MetaInt(SafeTensorsFile file, string path, string key)
    {
        string text = Meta(file, path, key);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new BadInputException(path, $"metadata '{key}' is {Quoting.Quote(text)}, not a non-negative integer");
    }

    private static void ExpectShape(SafeTensorsFile file, string path, string name, params long[] shape)
    {
        long[] actual = file.Get(name).Shape;
        bool ok = actual.Length == shape.Length && actual.Zip(shape).All(pair => pair.Second == AnySize || pair.First == pair.Second);
        if (!ok)
        {
            string expected = string.Join(", ", shape.Select(size => size == AnySize ? "any" : size.ToString(CultureInfo.InvariantCulture)));
            throw new BadInputException(path, $"tensor '{name}' has shape {Shapes.List(actual)}, expected [{expected}]");
        }
    }
}
