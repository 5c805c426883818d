using Lexicon.Data.Formats;

namespace Lexicon.Data;

/// <summary>
/// An activation store directory (DESIGN.md §4), validated on open: the manifest, tokens.npy and positions.npy are
/// read whole (4 bytes a token) and checked; each layer file is memory-mapped on demand and its header checked
/// against the manifest. Activations themselves are checked for NaN/Inf as they are read (a 10 GB layer is never
/// scanned up front).
/// </summary>
public sealed class ActivationStore : IDisposable
{
    private readonly Dictionary<int, NpyMatrixReader> _layers = [];

    private readonly bool[]? _heldOut;

    private ActivationStore(string directory, StoreManifest manifest, int[] tokens, int[] positions, bool[]? heldOut)
    {
        _heldOut = heldOut;
        Directory = directory;
        Manifest = manifest;
        Tokens = tokens;
        Positions = positions;
    }

    public string Directory { get; }
    public StoreManifest Manifest { get; }
    public int[] Tokens { get; }
    public int[] Positions { get; }
    public long TokenCount => Manifest.Tokens;
    public int D => Manifest.DModel;

    public string GroundTruthPath => Path.Combine(Directory, "ground_truth.safetensors");
    public bool HasGroundTruth => File.Exists(GroundTruthPath);

    public static ActivationStore Open(string directory)
    {
        var manifest = StoreManifest.Read(directory);
        if (manifest.Tokens > int.MaxValue) throw new BadInputException(Path.Combine(directory, StoreManifest.FileName), "more than 2^31 tokens are not supported");
        int n = (int)manifest.Tokens;
        string tokensPath = Path.Combine(directory, "tokens.npy");
        int[] tokens = Npy.ReadInts(tokensPath);
        if (tokens.Length != n) throw new BadInputException(tokensPath, $"{tokens.Length} tokens, manifest says {n}");
        for (int i = 0; i < n; i++)
            if ((uint)tokens[i] >= (uint)manifest.VocabSize)
                throw new BadInputException(tokensPath, $"token id {tokens[i]} at row {i} is not in [0, vocab_size {manifest.VocabSize})");
        string positionsPath = Path.Combine(directory, "positions.npy");
        int[] positions = Npy.ReadInts(positionsPath);
        if (positions.Length != n) throw new BadInputException(positionsPath, $"{positions.Length} positions, manifest says {n}");
        for (int i = 0; i < n; i++)
        {
            bool ok = positions[i] == 0 || (i > 0 && positions[i] == positions[i - 1] + 1);
            if (!ok) throw new BadInputException(positionsPath, $"position {positions[i]} at row {i} neither starts a sequence (0) nor follows the previous one");
        }
        var heldOut = manifest.HeldOut?.HeldOutRows(positions, Path.Combine(directory, StoreManifest.FileName));
        var store = new ActivationStore(directory, manifest, tokens, positions, heldOut);
        try
        {
            foreach (int layer in manifest.Layers) store.Layer(layer);
        }
        catch
        {
            store.Dispose();
            throw;
        }
        return store;
    }

    /// <summary>See <see cref="StoreIdentity"/>; computed on first use.</summary>
    public string Identity => _identity ??= StoreIdentity.Compute(this);

    private string? _identity;

    /// <summary>Whether the store holds rows out of training (<see cref="StoreSplit"/>).</summary>
    public bool HasHeldOut => _heldOut is not null;

    public bool IsHeldOut(long row) => _heldOut is not null && _heldOut[row];

    public bool HasLayer(int layer) => Manifest.Layers.Contains(layer);

    /// <summary>The memory-mapped activations of one layer, [tokens, d_model].</summary>
    public NpyMatrixReader Layer(int layer)
    {
        if (_layers.TryGetValue(layer, out var reader)) return reader;
        if (!HasLayer(layer))
            throw new BadInputException(Path.Combine(Directory, StoreManifest.FileName),
                $"layer {layer} is not in the store (layers: {string.Join(", ", Manifest.Layers)})");
        string path = Path.Combine(Directory, StoreManifest.LayerFileName(layer));
        reader = NpyMatrixReader.Open(path);
        try
        {
            string dtype = reader.DType == DType.Float16 ? "float16" : "float32";
            if (dtype != Manifest.DType) throw new BadInputException(path, $"dtype {dtype} does not match the manifest's {Manifest.DType}");
            if (reader.Header.Shape.Length != 2 || reader.Rows != Manifest.Tokens || reader.Columns != Manifest.DModel)
                throw new BadInputException(path, $"shape {Shapes.Tuple(reader.Header.Shape)} does not match the manifest's ({Manifest.Tokens}, {Manifest.DModel})");
        }
        catch
        {
            reader.Dispose();
            throw;
        }
        _layers[layer] = reader;
        return reader;
    }

    /// <summary>Reads rows and rejects NaN/Inf, naming the file and the row.</summary>
    public void ReadRows(int layer, long firstRow, int count, Span<float> destination)
    {
        var reader = Layer(layer);
        reader.ReadRows(firstRow, count, destination);
        FiniteCheck.Rows(destination[..(count * D)], D, firstRow, reader.Path);
    }

    /// <summary>Reads the listed rows (each checked for NaN/Inf), runs of consecutive ones at once (all of a chunk when no
    /// row is filtered out).</summary>
    public void ReadRows(int layer, ReadOnlySpan<long> rows, Span<float> destination)
    {
        int i = 0;
        while (i < rows.Length)
        {
            int run = 1;
            while (i + run < rows.Length && rows[i + run] == rows[i] + run) run++;
            ReadRows(layer, rows[i], run, destination.Slice(i * D, run * D));
            i += run;
        }
    }

    public void Dispose()
    {
        foreach (var reader in _layers.Values) reader.Dispose();
        _layers.Clear();
    }
}
