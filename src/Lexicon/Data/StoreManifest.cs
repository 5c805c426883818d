using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lexicon.Data;

/// <summary>manifest.json of an activation store (DESIGN.md §4).</summary>
public sealed record StoreManifest(int DModel, int[] Layers, long Tokens, int VocabSize, string DType,
    string? Model = null, bool Bidirectional = false, string? Tokenizer = null, int[]? SpecialTokenIds = null,
    StoreSplit? HeldOut = null)
{
    /// <summary>Token ids that mark structure rather than text ([CLS], [SEP], ...): left out of training by default.</summary>
    public int[] SpecialTokens => SpecialTokenIds ?? [];

    public static readonly string FormatName = Output.OutputKind.Store.Format;
    public const string FileName = "manifest.json";

    public static StoreManifest Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!Directory.Exists(directory)) throw new BadInputException(directory, "no such directory");
        if (!File.Exists(path)) throw new BadInputException(path, "no such file (is this an activation store?)");
        JsonObject root;
        try
        {
            root = Checkpoints.JsonFiles.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new BadInputException(path, "not a JSON object");
        }
        catch (JsonException e)
        {
            throw new BadInputException(path, $"not valid JSON ({Checkpoints.JsonFiles.Reason(e)})");
        }
        string format = Get<string>(root, "format", path);
        if (format != FormatName) throw new BadInputException(path, $"format '{format}' is not '{FormatName}'");
        int d = Get<int>(root, "d_model", path);
        long tokens = Get<long>(root, "tokens", path);
        int vocab = Get<int>(root, "vocab_size", path);
        string dtype = Get<string>(root, "dtype", path);
        if (d < 1) throw new BadInputException(path, $"d_model {d} is not positive");
        if (tokens < 0) throw new BadInputException(path, $"tokens {tokens} is negative");
        if (vocab < 1) throw new BadInputException(path, $"vocab_size {vocab} is not positive");
        if (dtype is not ("float32" or "float16")) throw new BadInputException(path, $"dtype '{dtype}' is not float32 or float16");
        if (root["layers"] is not JsonArray layerArray) throw new BadInputException(path, "missing 'layers' (a list of layer numbers)");
        int[] layers;
        try
        {
            layers = layerArray.Select(n => n!.GetValue<int>()).ToArray();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new BadInputException(path, "'layers' must be a list of integers");
        }
        if (layers.Length == 0 || layers.Any(l => l is < 0 or > 99) || layers.Distinct().Count() != layers.Length)
            throw new BadInputException(path, "'layers' must list distinct layer numbers 0..99");
        int[]? special = null;
        if (root["special_token_ids"] is JsonArray specialArray)
        {
            try
            {
                special = specialArray.Select(n => n!.GetValue<int>()).ToArray();
            }
            catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
            {
                throw new BadInputException(path, "'special_token_ids' must be a list of integers");
            }
            if (special.Any(t => t < 0 || t >= vocab)) throw new BadInputException(path, "'special_token_ids' must lie in [0, vocab_size)");
        }
        return new StoreManifest(d, layers, tokens, vocab, dtype, Checkpoints.JsonFiles.GetOptional<string>(root, "model", path),
            Checkpoints.JsonFiles.GetOptional<bool>(root, "bidirectional", path), Checkpoints.JsonFiles.GetOptional<string>(root, "tokenizer", path), special,
            ReadSplit(root, path, tokens));
    }

    private static StoreSplit? ReadSplit(JsonObject root, string path, long tokens)
    {
        if (root["heldout"] is null) return null;
        if (root["heldout"] is not JsonObject split) throw new BadInputException(path, "'heldout' must be an object {share, seed, sequences, tokens}");
        double share = Get<double>(split, "share", path);
        long seed = Get<long>(split, "seed", path);
        int sequences = Get<int>(split, "sequences", path);
        long heldTokens = Get<long>(split, "tokens", path);
        if (!(share > 0 && share <= StoreSplit.MaxShare)) throw new BadInputException(path, $"'heldout.share' {share} is not in (0, {StoreSplit.MaxShare}]");
        if (sequences < 1) throw new BadInputException(path, $"'heldout.sequences' {sequences} is not positive");
        if (heldTokens < 1 || heldTokens >= tokens) throw new BadInputException(path, $"'heldout.tokens' {heldTokens} is not in [1, tokens {tokens})");
        return new StoreSplit(share, seed, sequences, heldTokens);
    }

    public void Write(string directory)
    {
        var root = new JsonObject
        {
            ["format"] = FormatName,
            ["d_model"] = DModel,
            ["layers"] = new JsonArray(Layers.Select(l => (JsonNode)l).ToArray()),
            ["tokens"] = Tokens,
            ["vocab_size"] = VocabSize,
            ["dtype"] = DType,
            ["model"] = Model,
            ["bidirectional"] = Bidirectional,
            ["tokenizer"] = Tokenizer,
        };
        if (HeldOut is { } split)
            root["heldout"] = new JsonObject { ["share"] = split.Share, ["seed"] = split.Seed, ["sequences"] = split.Sequences, ["tokens"] = split.Tokens };
        if (SpecialTokens.Length > 0) root["special_token_ids"] = new JsonArray(SpecialTokens.Select(t => (JsonNode)t).ToArray());
        File.WriteAllText(Path.Combine(directory, FileName), root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    public static string LayerFileName(int layer) => $"layer_{layer:D2}.npy";

    private static T Get<T>(JsonObject root, string key, string path) => Checkpoints.JsonFiles.Get<T>(root, key, path);
}
