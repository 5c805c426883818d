using Lexicon.Data;
using Lexicon.Synthetic;

namespace Lexicon.Tests.Synthetic;

/// <summary>A synthetic world generated into a private temporary directory, deleted on dispose.</summary>
internal sealed class TempWorld : IDisposable
{
    private GroundTruth? _truth;

    public TempWorld(SynthOptions options)
    {
        Options = options;
        Directory = NewDirectory();
        Manifest = SyntheticWorld.Generate(options, Directory);
    }

    public SynthOptions Options { get; }
    public string Directory { get; }
    public StoreManifest Manifest { get; }

    public GroundTruth Truth => _truth ??= GroundTruth.Load(Path.Combine(Directory, GroundTruth.FileName));

    /// <summary>A fresh path under the system temp directory (not created).</summary>
    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), $"lexicon-synth-{Guid.NewGuid():N}");

    /// <summary>All rows of one layer, [tokens, d] flattened.</summary>
    public static float[] ReadLayer(ActivationStore store, int layer)
    {
        var rows = new float[store.TokenCount * store.D];
        store.ReadRows(layer, 0, (int)store.TokenCount, rows);
        return rows;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
