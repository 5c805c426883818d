using Lexicon.Data.Formats;
using Lexicon.Synthetic;
using static Lexicon.Tests.Synthetic.Vectors;

namespace Lexicon.Tests.Synthetic;

/// <summary>ground_truth.safetensors of the default world: what was planted has the properties §6 promises.</summary>
[Collection(DefaultWorldCollection.Name)]
public sealed class GroundTruthTests(DefaultWorldFixture world)
{
    private GroundTruth Truth => world.Truth;

    [Fact]
    public void Sizes_and_metadata_match_the_options()
    {
        Assert.Equal((4, 64, 512, 256, 256, 0.5f), (Truth.Layers, Truth.D, Truth.Vocab, Truth.Features, Truth.BigramCount, Truth.BigramNorm));
        using var file = SafeTensorsFile.Open(Path.Combine(world.Store.Directory, GroundTruth.FileName));
        Assert.Equal(new Dictionary<string, string>
        {
            ["format"] = "lexicon-ground-truth/1", ["seed"] = "0", ["layers"] = "4", ["d_model"] = "64", ["vocab"] = "512",
            ["features"] = "256", ["tokens"] = "100000", ["sequence_length"] = "64", ["noise_sigma"] = "0.05",
            ["bigram_norm"] = "0.5", ["zipf_exponent"] = "1.1",
        }, file.Metadata);
        Assert.All(file.Tensors.Values, t => Assert.True(t.DType is DType.Float32 or DType.Int32, t.Name));
        Assert.Equal([512L, 4], file.Get("successors").Shape);
    }

    [Fact]
    public void Table_rows_are_unit_vectors()
    {
        for (int layer = 0; layer < Truth.Layers; layer++)
        {
            AssertUnitRows(Truth.TokenTable(layer), Truth.Vocab);
            AssertUnitRows(Truth.BigramTable(layer), Truth.BigramCount);
            float[] directions = Truth.FeatureDirections(layer);
            foreach (int f in Truth.AliveFeatures(layer))
                Assert.InRange(Norm(Row(directions, f, Truth.D)), 1 - 1e-5, 1 + 1e-5);
        }
    }

    /// <summary>normalize(e + 0.3·g/√d) has cosine ≈ 1/√(1 + 0.09) ≈ 0.958 with e.</summary>
    [Fact]
    public void Token_and_bigram_tables_drift_slowly()
    {
        for (int layer = 1; layer < Truth.Layers; layer++)
        {
            Assert.InRange(MeanNeighbourCosine(Truth.TokenTable, layer, Enumerable.Range(0, Truth.Vocab)), 0.94, 0.97);
            Assert.InRange(MeanNeighbourCosine(Truth.BigramTable, layer, Enumerable.Range(0, Truth.BigramCount)), 0.94, 0.97);
        }
    }

    /// <summary>normalize(d + 0.45·g/√d) has cosine ≈ 1/√(1 + 0.2025) ≈ 0.91 with d.</summary>
    [Fact]
    public void Feature_directions_drift_with_neighbour_cosine_near_0_9()
    {
        for (int layer = 1; layer < Truth.Layers; layer++)
        {
            var both = Truth.AliveFeatures(layer).Intersect(Truth.AliveFeatures(layer - 1));
            Assert.InRange(MeanNeighbourCosine(Truth.FeatureDirections, layer, both), 0.85, 0.95);
        }
    }

    [Fact]
    public void Feature_lives_are_consistent_and_thirty_percent_fade()
    {
        int layers = Truth.Layers, candidates = 0, fading = 0;
        var births = new int[layers];
        for (int f = 0; f < Truth.Features; f++)
        {
            int birth = Truth.Birth[f], death = Truth.Death[f];
            Assert.InRange(birth, 0, layers - 1);
            Assert.True(death == -1 || (death > birth && death < layers), $"feature {f}: birth {birth}, death {death}");
            births[birth]++;
            if (birth < layers - 1)
            {
                candidates++;
                fading += death >= 0 ? 1 : 0;
            }
        }
        Assert.InRange((double)fading / candidates, 0.2, 0.4);
        Assert.All(births, count => Assert.InRange(count, 32, 96));
    }

    [Fact]
    public void Firing_probabilities_are_log_uniform_in_range()
    {
        Assert.All(Truth.Probability, p => Assert.InRange(p, 1e-3f, 3e-2f));
        double meanLog = Truth.Probability.Average(p => Math.Log(p));
        Assert.InRange(meanLog, (Math.Log(1e-3) + Math.Log(3e-2)) / 2 - 0.3, (Math.Log(1e-3) + Math.Log(3e-2)) / 2 + 0.3);
    }

    [Fact]
    public void Feature_directions_are_zero_exactly_where_not_alive()
    {
        for (int layer = 0; layer < Truth.Layers; layer++)
        {
            float[] directions = Truth.FeatureDirections(layer);
            int[] alive = Truth.AliveFeatures(layer);
            for (int f = 0; f < Truth.Features; f++)
            {
                bool isAlive = Truth.IsAlive(f, layer);
                Assert.Equal(isAlive, alive.Contains(f));
                Assert.Equal(isAlive, Row(directions, f, Truth.D).ContainsAnyExcept(0f));
            }
        }
    }

    [Fact]
    public void Load_rejects_a_file_missing_a_tensor()
    {
        string directory = TempWorld.NewDirectory();
        Directory.CreateDirectory(directory);
        try
        {
            string path = Path.Combine(directory, GroundTruth.FileName);
            using (var original = SafeTensorsFile.Open(Path.Combine(world.Store.Directory, GroundTruth.FileName)))
            {
                var writer = new SafeTensorsWriter();
                foreach ((string key, string value) in original.Metadata) writer.Metadata[key] = value;
                foreach (var tensor in original.Tensors.Values.Where(t => t.Name != "feature_dirs.L02"))
                {
                    if (tensor.DType == DType.Int32) writer.Add(tensor.Name, original.ReadInts(tensor.Name), tensor.Shape);
                    else writer.Add(tensor.Name, original.ReadFloats(tensor.Name), tensor.Shape);
                }
                writer.Write(path);
            }
            var error = Assert.Throws<BadInputException>(() => GroundTruth.Load(path));
            Assert.Equal(path, error.File);
            Assert.Contains("feature_dirs.L02", error.Problem);

            Assert.Throws<BadInputException>(() => GroundTruth.Load(Path.Combine(directory, "absent.safetensors")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private void AssertUnitRows(float[] table, int rows)
    {
        for (int i = 0; i < rows; i++)
            Assert.InRange(Norm(Row(table, i, Truth.D)), 1 - 1e-5, 1 + 1e-5);
    }

    private double MeanNeighbourCosine(Func<int, float[]> table, int layer, IEnumerable<int> rows)
    {
        float[] previous = table(layer - 1), current = table(layer);
        return rows.Select(i => Cosine(Row(previous, i, Truth.D), Row(current, i, Truth.D))).Average();
    }
}
