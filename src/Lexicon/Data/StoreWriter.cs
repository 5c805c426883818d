using Lexicon.Data.Formats;

namespace Lexicon.Data;

/// <summary>
/// Streams an activation store into a directory: tokens and positions, then each layer's rows, in any amounts;
/// <see cref="Complete"/> checks every file holds the same number of tokens and writes the manifest last.
/// Callers write into a temporary directory and swap it in (<see cref="AtomicDirectory"/>).
/// </summary>
public sealed class StoreWriter : IDisposable
{
    private readonly string _directory;
    private readonly StoreManifest _template;
    private readonly NpyStreamWriter _tokens;
    private readonly NpyStreamWriter _positions;
    private readonly Dictionary<int, NpyStreamWriter> _layers = [];
    private readonly double _heldOutShare;
    private readonly long _seed;
    private readonly List<int> _sequenceLengths = [];

    /// <param name="template">The manifest to write; its token count is replaced by the count written.</param>
    /// <param name="heldOutShare">Share of whole sequences to hold out (<see cref="StoreSplit"/>), chosen by <paramref name="seed"/>.</param>
    public StoreWriter(string directory, StoreManifest template, double heldOutShare = 0, long seed = 0)
    {
        _directory = directory;
        _template = template;
        _heldOutShare = heldOutShare;
        _seed = seed;
        System.IO.Directory.CreateDirectory(directory);
        _tokens = new NpyStreamWriter(Path.Combine(directory, "tokens.npy"), DType.Int32, 1, oneDimensional: true);
        _positions = new NpyStreamWriter(Path.Combine(directory, "positions.npy"), DType.Int32, 1, oneDimensional: true);
        var dtype = template.DType == "float16" ? DType.Float16 : DType.Float32;
        foreach (int layer in template.Layers)
            _layers[layer] = new NpyStreamWriter(Path.Combine(directory, StoreManifest.LayerFileName(layer)), dtype, template.DModel);
    }

    public string Directory => _directory;

    public long TokensWritten => _tokens.RowsWritten;

    public void AppendTokens(ReadOnlySpan<int> tokens, ReadOnlySpan<int> positions)
    {
        if (tokens.Length != positions.Length) throw new ArgumentException("one position per token");
        foreach (int position in positions)
        {
            if (position == 0) _sequenceLengths.Add(0);
            else if (_sequenceLengths.Count == 0) throw new ArgumentException("a store starts with a sequence start (position 0)");
            _sequenceLengths[^1]++;
        }
        _tokens.AppendInts(tokens);
        _positions.AppendInts(positions);
    }

    public void AppendRows(int layer, ReadOnlySpan<float> rows) => _layers[layer].AppendRows(rows);

    public StoreManifest Complete()
    {
        long n = _tokens.RowsWritten;
        foreach (var (layer, writer) in _layers)
            if (writer.RowsWritten != n)
                throw new InvalidOperationException($"layer {layer} has {writer.RowsWritten} rows but {n} tokens were written");
        _tokens.Complete();
        _positions.Complete();
        foreach (var writer in _layers.Values) writer.Complete();
        var manifest = _template with { Tokens = n, HeldOut = StoreSplit.Of(_heldOutShare, _seed, _sequenceLengths) };
        manifest.Write(_directory);
        return manifest;
    }

    public void Dispose()
    {
        _tokens.Dispose();
        _positions.Dispose();
        foreach (var writer in _layers.Values) writer.Dispose();
    }
}
