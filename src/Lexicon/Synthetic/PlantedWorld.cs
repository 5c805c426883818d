using Lexicon.Data.Formats;
using static System.FormattableString;

namespace Lexicon.Synthetic;

/// <summary>
/// The structure planted in a synthetic world, drawn from the seed before any token is generated: successor lists,
/// per-layer token and bigram tables, and the features' lives, firing probabilities and directions. Each part
/// draws from its own <see cref="Rng.Derive"/> stream, so changing one size does not reshuffle the others.
/// </summary>
internal sealed class PlantedWorld
{
    private PlantedWorld(SynthOptions options) => Options = options;

    public SynthOptions Options { get; }

    /// <summary>[Vocab, Successors]: the tokens that may follow each token when it is not drawn afresh.</summary>
    public int[] Successors { get; private init; } = [];

    /// <summary>Per layer, [Vocab, d] unit rows E_l.</summary>
    public float[][] TokenTables { get; private init; } = [];

    /// <summary>Planted pairs (t, first successor of t) for t = 0..BigramCount−1: pair t has key t.</summary>
    public int BigramCount => Options.Vocab / 2;

    /// <summary>Per layer, [BigramCount, d] unit rows G_l.</summary>
    public float[][] BigramTables { get; private init; } = [];

    public int[] Birth { get; private init; } = [];

    /// <summary>The first layer where the feature is gone; −1 when it lives to the last layer.</summary>
    public int[] Death { get; private init; } = [];

    public float[] Probability { get; private init; } = [];

    /// <summary>Per layer, [Features, d]: D_{f,l}, zero rows where feature f is not alive at l.</summary>
    public float[][] FeatureDirections { get; private init; } = [];

    public bool IsAlive(int feature, int layer) =>
        layer >= Birth[feature] && (Death[feature] < 0 || layer < Death[feature]);

    public static PlantedWorld Draw(SynthOptions options)
    {
        var (birth, death, probability) = DrawLives(options);
        return new PlantedWorld(options)
        {
            Successors = DrawSuccessors(options),
            TokenTables = DriftingTables(options, StreamTag.TokenTable, options.Vocab),
            BigramTables = DriftingTables(options, StreamTag.BigramTable, options.Vocab / 2),
            Birth = birth,
            Death = death,
            Probability = probability,
            FeatureDirections = DrawDirections(options, birth, death),
        };
    }

    /// <summary>Writes ground_truth.safetensors: everything a recovery check needs, float32 and int32.</summary>
    public void Save(string path)
    {
        SynthOptions o = Options;
        var writer = new SafeTensorsWriter();
        Dictionary<string, string> meta = writer.Metadata;
        meta["format"] = GroundTruth.FormatName;
        meta["seed"] = Invariant($"{o.Seed}");
        meta["layers"] = Invariant($"{o.Layers}");
        meta["d_model"] = Invariant($"{o.DModel}");
        meta["vocab"] = Invariant($"{o.Vocab}");
        meta["features"] = Invariant($"{o.Features}");
        meta["tokens"] = Invariant($"{o.Tokens}");
        meta["sequence_length"] = Invariant($"{o.SequenceLength}");
        meta["noise_sigma"] = Invariant($"{o.NoiseSigma}");
        meta["bigram_norm"] = Invariant($"{o.BigramNorm}");
        meta["zipf_exponent"] = Invariant($"{o.ZipfExponent}");

        int p = BigramCount, d = o.DModel;
        for (int layer = 0; layer < o.Layers; layer++)
            writer.Add(GroundTruth.TokenTableName(layer), TokenTables[layer], [o.Vocab, d]);
        writer.Add(GroundTruth.BigramKeysName, BigramKeys(), [p, 2]);
        for (int layer = 0; layer < o.Layers; layer++)
            writer.Add(GroundTruth.BigramTableName(layer), BigramTables[layer], [p, d]);
        writer.Add(GroundTruth.SuccessorsName, Successors, [o.Vocab, o.Successors]);
        for (int layer = 0; layer < o.Layers; layer++)
            writer.Add(GroundTruth.FeatureDirectionsName(layer), FeatureDirections[layer], [o.Features, d]);
        writer.Add(GroundTruth.BirthName, Birth, [o.Features]);
        writer.Add(GroundTruth.DeathName, Death, [o.Features]);
        writer.Add(GroundTruth.ProbabilityName, Probability, [o.Features]);
        writer.Write(path);
    }

    private int[] BigramKeys()
    {
        var keys = new int[2 * BigramCount];
        for (int t = 0; t < BigramCount; t++)
        {
            keys[2 * t] = t;
            keys[2 * t + 1] = Successors[t * Options.Successors];
        }
        return keys;
    }

    private static int[] DrawSuccessors(SynthOptions o)
    {
        var rng = Rng.Derive(o.Seed, StreamTag.Successors);
        var zipf = new ZipfLaw(o.Vocab, o.ZipfExponent);
        var successors = new int[o.Vocab * o.Successors];
        for (int i = 0; i < successors.Length; i++)
            successors[i] = zipf.Sample(rng);
        return successors;
    }

    /// <summary>Random unit rows at layer 0, then one drift step per layer (its own stream per layer).</summary>
    private static float[][] DriftingTables(SynthOptions o, long tag, int rows)
    {
        var tables = new float[o.Layers][];
        tables[0] = UnitVectors.RandomTable(Rng.Derive(o.Seed, tag, 0), rows, o.DModel);
        for (int layer = 1; layer < o.Layers; layer++)
            tables[layer] = UnitVectors.DriftTable(Rng.Derive(o.Seed, tag, layer), tables[layer - 1], o.DModel, o.TokenDrift);
        return tables;
    }

    private static (int[] Birth, int[] Death, float[] Probability) DrawLives(SynthOptions o)
    {
        var rng = Rng.Derive(o.Seed, StreamTag.FeatureLives);
        var birth = new int[o.Features];
        var death = new int[o.Features];
        var probability = new float[o.Features];
        double logMin = Math.Log(o.MinFiringProbability), logMax = Math.Log(o.MaxFiringProbability);
        for (int f = 0; f < o.Features; f++)
        {
            birth[f] = rng.NextInt(o.Layers);
            bool fades = birth[f] < o.Layers - 1 && rng.NextDouble() < o.FadingShare;
            death[f] = fades ? birth[f] + 1 + rng.NextInt(o.Layers - 1 - birth[f]) : -1;
            probability[f] = (float)Math.Exp(logMin + rng.NextDouble() * (logMax - logMin));
        }
        return (birth, death, probability);
    }

    /// <summary>A random unit direction at birth, drifted once per layer while the feature lives.</summary>
    private static float[][] DrawDirections(SynthOptions o, int[] birth, int[] death)
    {
        int d = o.DModel;
        var directions = new float[o.Layers][];
        for (int layer = 0; layer < o.Layers; layer++)
            directions[layer] = new float[o.Features * d];
        for (int f = 0; f < o.Features; f++)
        {
            var rng = Rng.Derive(o.Seed, StreamTag.FeatureDirections, f);
            int end = death[f] < 0 ? o.Layers : death[f];
            UnitVectors.Random(rng, directions[birth[f]].AsSpan(f * d, d));
            for (int layer = birth[f] + 1; layer < end; layer++)
                UnitVectors.Drift(rng, directions[layer - 1].AsSpan(f * d, d), directions[layer].AsSpan(f * d, d), o.FeatureDrift);
        }
        return directions;
    }
}
