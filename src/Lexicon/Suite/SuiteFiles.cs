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
    public const string Format = "lexicon-suite/1";

    public static string LayerDirectory(string root, int layer) => Path.Combine(root, $"layer_{layer:D2}");
    public static string EnrichedDirectory(string root) => Path.Combine(root, SuiteConfig.EnrichedSource);
    public static string CodesFile(string root, string source) => Path.Combine(root, "codes", source + ".safetensors");

    public static void WriteCodes(string root, PoolSource source, double[] birthShares)
    {
        var writer = new SafeTensorsWriter();
        writer.Metadata["format"] = "lexicon-codes/1";
        writer.Metadata["birth_layer"] = source.BirthLayer.ToString(System.Globalization.CultureInfo.InvariantCulture);
        long tokens = source.CodeIndex.Length / source.K;
        writer.Add("index", source.CodeIndex, [tokens, source.K]);
        writer.Add("value", source.CodeValue, [tokens, source.K]);
        writer.Add("birth_decoder", source.BirthDecoder, [source.Latents, source.D]);
        writer.Add("birth_share", Array.ConvertAll(birthShares, v => (float)v), [source.Latents]);
        string path = CodesFile(root, source.Name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WriteAtomically(path, writer.Write);
    }

    public static PoolSource ReadCodes(string root, string name, int birthLayer, int[] death)
    {
        string path = CodesFile(root, name);
        using var file = SafeTensorsFile.Open(path);
        var shape = file.Get("index").Shape;
        var decoderShape = file.Get("birth_decoder").Shape;
        if (shape.Length != 2 || decoderShape.Length != 2 || decoderShape[0] != death.Length)
            throw new BadInputException(path, "codes do not match suite.json");
        var source = new PoolSource(name, birthLayer, (int)decoderShape[0], (int)shape[1], (int)decoderShape[1],
            file.ReadFloats("birth_decoder"), file.ReadInts("index"), file.ReadFloats("value"));
        death.CopyTo(source.Death, 0);
        return source;
    }

    public static JsonObject? ReadManifest(string root)
    {
        string path = Path.Combine(root, ManifestFile);
        if (!File.Exists(path)) return null;
        var json = JsonFiles.ReadObject(path);
        string format = JsonFiles.Get<string>(json, "format", path);
        if (format != Format) throw new BadInputException(path, $"format '{format}' is not '{Format}'");
        return json;
    }

    public static void WriteManifest(string root, JsonObject manifest) =>
        WriteAtomically(Path.Combine(root, ManifestFile), path => JsonFiles.Write(path, manifest));

    private static void WriteAtomically(string path, Action<string> write)
    {
        string temp = path + $".partial-{Environment.ProcessId}";
        write(temp);
        File.Move(temp, path, overwrite: true);
    }
}
