using System.Text.Json.Nodes;

namespace Lexicon.Checkpoints;

/// <summary>cfg.json as SAELens 6 writes it for a TopK SAE, so <c>SAE.load_from_disk</c> takes our checkpoints as they
/// are (W_enc [d_in, d_sae], W_dec [d_sae, d_in], b_enc, b_dec in sae_weights.safetensors).</summary>
public sealed record SaeLensConfig(int DIn, int DSae, int K, string? ModelName, string? HookName)
{
    public const string FileName = "cfg.json";

    /// <summary>For a checkpoint whose reconstruction needs more than these weights (tokenized or suite), what else it
    /// needs, written under metadata.lexicon_known_part: SAELens loads the own latents alone and would say nothing.</summary>
    public JsonObject? KnownPart { get; init; }

    /// <summary>Each token scaled to norm √d on the way in and back on the way out (--normalize token), which SAELens calls
    /// "constant_norm_rescale".</summary>
    public bool NormalizeTokens { get; init; }

    /// <summary>--min-activation: Lexicon fires a latent only at an activation of at least this, where SAELens's TopK fires
    /// k a token; written under metadata.lexicon_min_activation so a SAELens user is told.</summary>
    public float MinActivation { get; init; }

    private const string NormRescale = "constant_norm_rescale";

    public JsonObject ToJson()
    {
        var json = Json();
        if (KnownPart is not null) json["metadata"]!["lexicon_known_part"] = KnownPart.DeepClone();
        if (MinActivation > 0)
            json["metadata"]!["lexicon_min_activation"] = new JsonObject
            {
                ["value"] = MinActivation,
                ["note"] = "Lexicon zeroes top-k activations below this; SAELens's TopK keeps them, so its codes have more firings",
            };
        return json;
    }

    private JsonObject Json() => new()
    {
        ["architecture"] = "topk",
        ["d_in"] = DIn,
        ["d_sae"] = DSae,
        ["k"] = K,
        ["dtype"] = "float32",
        ["device"] = "cpu",
        ["apply_b_dec_to_input"] = true,
        ["normalize_activations"] = NormalizeTokens ? NormRescale : "none",
        ["reshape_activations"] = "none",
        ["metadata"] = new JsonObject
        {
            ["sae_lens_version"] = "6.0.0",
            ["sae_lens_training_version"] = "6.0.0",
            ["model_name"] = ModelName,
            ["hook_name"] = HookName,
            ["trained_with"] = "lexicon",
        },
    };

    public static SaeLensConfig Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        var root = JsonFiles.ReadObject(path);
        string architecture = JsonFiles.Get<string>(root, "architecture", path);
        if (architecture != "topk") throw new BadInputException(path, $"architecture '{architecture}' is not 'topk'");
        if (root["metadata"] is { } m && m is not JsonObject) throw new BadInputException(path, "'metadata' must be an object");
        var metadata = root["metadata"] as JsonObject ?? [];
        var config = new SaeLensConfig(JsonFiles.Get<int>(root, "d_in", path), JsonFiles.Get<int>(root, "d_sae", path),
            JsonFiles.Get<int>(root, "k", path), JsonFiles.GetOptional<string>(metadata, "model_name", path),
            JsonFiles.GetOptional<string>(metadata, "hook_name", path));
        if (config.DIn < 1 || config.DSae < 1 || config.K < 1 || config.K > config.DSae)
            throw new BadInputException(path, $"inconsistent sizes d_in {config.DIn}, d_sae {config.DSae}, k {config.K}");
        if ((long)config.DIn * config.DSae > Array.MaxLength)
            throw new BadInputException(path, $"d_in {config.DIn} × d_sae {config.DSae} exceeds the largest array");
        if (root.ContainsKey("apply_b_dec_to_input") && !JsonFiles.GetOptional<bool>(root, "apply_b_dec_to_input", path))
            throw new BadInputException(path, "apply_b_dec_to_input false is not supported");
        string norm = JsonFiles.GetOptional<string>(root, "normalize_activations", path) ?? "none";
        if (norm is not ("none" or NormRescale))
            throw new BadInputException(path, $"normalize_activations '{norm}' is not supported (none or {NormRescale})");
        return config with { NormalizeTokens = norm == NormRescale };
    }
}
