using Lexicon.Data;
using Lexicon.Data.Formats;
using Lexicon.Synthetic;

namespace Lexicon.Tests.Synthetic;

/// <summary>How <see cref="SyntheticWorld.Generate"/> writes: deterministically, atomically, in either dtype.</summary>
public sealed class GenerationTests
{
    /// <summary>Small, but more than one 4096-token block, ending in a partial block and a short sequence.</summary>
    private static readonly SynthOptions Small = new() { Layers = 2, DModel = 16, Vocab = 64, Tokens = 9_000, Features = 16, Seed = 11 };

    [Fact]
    public void Same_seed_gives_byte_identical_files()
    {
        using var first = new TempWorld(Small);
        using var second = new TempWorld(Small);
        string[] names = FileNames(first.Directory);
        Assert.Equal(names, FileNames(second.Directory));
        Assert.Contains(GroundTruth.FileName, names);
        foreach (string name in names)
            Assert.True(Bytes(first, name).SequenceEqual(Bytes(second, name)), $"{name} differs");
    }

    [Fact]
    public void Different_seeds_give_different_worlds()
    {
        using var first = new TempWorld(Small);
        using var second = new TempWorld(Small with { Seed = 12 });
        foreach (string name in (string[])["tokens.npy", "layer_00.npy", "layer_01.npy", GroundTruth.FileName])
            Assert.False(Bytes(first, name).SequenceEqual(Bytes(second, name)), $"{name} is the same");
    }

    [Fact]
    public void The_last_sequence_may_be_shorter()
    {
        using var world = new TempWorld(Small with { Tokens = 100 });
        using var store = ActivationStore.Open(world.Directory);
        Assert.Equal([.. Enumerable.Range(0, 64), .. Enumerable.Range(0, 36)], store.Positions);
    }

    [Fact]
    public void An_existing_target_is_replaced_whole()
    {
        string target = TempWorld.NewDirectory();
        try
        {
            Directory.CreateDirectory(target);
            File.WriteAllText(Path.Combine(target, "stale.txt"), "from before");
            var progress = new RecordingProgress();
            StoreManifest manifest = SyntheticWorld.Generate(Small, target, progress);

            Assert.False(File.Exists(Path.Combine(target, "stale.txt")));
            Assert.Equal(Small.Tokens, StoreManifest.Read(target).Tokens);
            Assert.Equal(Small.Tokens, manifest.Tokens);
            Assert.Equal(1.0, progress.Values[^1]);
            Assert.Equal(progress.Values.Order(), progress.Values);
            Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}*"));
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public void Float16_stores_the_float32_rows_rounded()
    {
        using var wide = new TempWorld(Small);
        using var half = new TempWorld(Small with { DType = "float16" });
        using var wideStore = ActivationStore.Open(wide.Directory);
        using var halfStore = ActivationStore.Open(half.Directory);
        Assert.Equal("float16", halfStore.Manifest.DType);
        for (int layer = 0; layer < Small.Layers; layer++)
        {
            Assert.Equal(DType.Float16, halfStore.Layer(layer).DType);
            float[] rounded = [.. TempWorld.ReadLayer(wideStore, layer).Select(v => (float)(Half)v)];
            Assert.Equal(rounded, TempWorld.ReadLayer(halfStore, layer));
        }
        Assert.True(Bytes(wide, GroundTruth.FileName).SequenceEqual(Bytes(half, GroundTruth.FileName)));
    }

    private static string[] FileNames(string directory) =>
        [.. Directory.GetFiles(directory).Select(Path.GetFileName).Order()!];

    private static byte[] Bytes(TempWorld world, string name) => File.ReadAllBytes(Path.Combine(world.Directory, name));

    /// <summary>Records synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class RecordingProgress : IProgress<double>
    {
        public List<double> Values { get; } = [];

        public void Report(double value) => Values.Add(value);
    }
}
