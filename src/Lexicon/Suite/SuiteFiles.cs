using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Data.Formats;

namespace Lexicon.Suite;

/// <summary>
/// A suite directory: suite.json (config, completed layers, pool sources with their births and deaths), one checkpoint
/// per layer (layer_NN/, and enriched/ for the enriched-token SAE) and the sources' cached codes (codes/NAME.safetensors:
/// index and value [tokens, k], the decoder at birth, the latents' variance shares at birth). suite.json is written
/// last, atomically: a layer counts as done only once it lists it.
/// </summary>
public static class SuiteFiles
{
    public const string ManifestFile = "suite.json";
    public static readonly string Format = Output.OutputKind.Suite.Format;

    public static string LayerDirectory(string root, int layer) => Path.Combine(root, $"layer_{layer:D2}");
    public static string EnrichedDirectory(string root) => Path.Combine(root, SuiteConfig.EnrichedSource);
    /// <summary>A source's codes on the suite's own store, or (<paramref name="storeKey"/>) on another store, cached there.</summary>
    public static string CodesFile(string root, string source, string? storeKey = null) =>
        Path.Combine(root, "codes", storeKey is null ? "" : "store-" + storeKey, source + ".safetensors");

    public static void WriteCodes(string root, PoolSource source, double[] birthShares, string? storeKey = null)
    {
        var writer = new SafeTensorsWriter();
        writer.Metadata["format"] = "lexicon-codes/1";
        writer.Metadata["birth_layer"] = source.BirthLayer.ToString(System.Globalization.CultureInfo.InvariantCulture);
        long tokens = source.CodeIndex.Length / source.K;
        writer.Add("index", source.CodeIndex, [tokens, source.K]);
        writer.Add("value", source.CodeValue, [tokens, source.K]);
        writer.Add("birth_decoder", source.BirthDecoder, [source.Latents, source.D]);
        writer.Add("birth_share", Array.ConvertAll(birthShares, v => (float)v), [source.Latents]);
        string path = CodesFile(root, source.Name, storeKey);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WriteAtomically(path, writer.Write);
    }

    /// <summary>A source's cached codes, checked against what suite.json says of it.</summary>
    public static PoolSource ReadCodes(string root, SuiteSourceRecord record, string? storeKey = null)
    {
        string path = CodesFile(root, record.Name, storeKey);
        using var file = SafeTensorsFile.Open(path);
        var shape = file.Get("index").Shape;
        var decoderShape = file.Get("birth_decoder").Shape;
        if (shape.Length != 2 || shape[1] != record.K || !file.Get("value").Shape.SequenceEqual(shape)
            || decoderShape.Length != 2 || decoderShape[0] != record.Latents || decoderShape[1] < 1)
            throw new BadInputException(path, "codes do not match suite.json");
        var index = file.ReadInts("index");
        var value = file.ReadFloats("value");
        var decoder = file.ReadFloats("birth_decoder");
        if (index.Any(i => i < -1 || i >= record.Latents)) throw new BadInputException(path, "'index' holds latents the source does not have");
        TensorChecks.Finite(value, path, "value");
        TensorChecks.Plausible(decoder, path, "birth_decoder");
        var source = new PoolSource(record.Name, record.BirthLayer, record.Latents, record.K, (int)decoderShape[1], decoder, index, value);
        record.Death.CopyTo(source.Death, 0);
        return source;
    }

    /// <summary>suite.json of a suite directory, or null where there is none.</summary>
    public static SuiteManifest? ReadManifest(string root)
    {
        string path = Path.Combine(root, ManifestFile);
        return File.Exists(path) ? SuiteManifest.Read(path) : null;
    }

    /// <summary>suite.json of a directory that must be a suite.</summary>
    public static SuiteManifest RequireManifest(string root) =>
        ReadManifest(root) ?? throw new BadInputException(Path.Combine(root, ManifestFile), "no such file (is this a suite directory?)");

    public static void WriteManifest(string root, SuiteManifest manifest) =>
        WriteAtomically(Path.Combine(root, ManifestFile), path => JsonFiles.Write(path, JsonFiles.ToNode(manifest)));

    private static void WriteAtomically(string path, Action<string> write)
    {
        string temp = path + $".partial-{Environment.ProcessId}";
        write(temp);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Removes the half-written files a killed run left (names only <see cref="WriteAtomically"/> makes; the
    /// caller holds the suite's lock).</summary>
    public static void RemoveLeftovers(string root)
    {
        var partial = new System.Text.RegularExpressions.Regex(@"\.safetensors\.partial-[0-9]+$|^suite\.json\.partial-[0-9]+$");
        string codes = Path.Combine(root, "codes");
        foreach (string directory in new[] { root, codes }.Concat(Directory.Exists(codes) ? Directory.EnumerateDirectories(codes, "store-*") : []))
            if (Directory.Exists(directory))
                foreach (string file in Directory.EnumerateFiles(directory))
                    if (partial.IsMatch(Path.GetFileName(file))) File.Delete(file);
    }
}
