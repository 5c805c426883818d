using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Configuration;

namespace Lexicon.Suite;

/// <summary>The store a suite or checkpoint was trained on: where it was and its <see cref="Data.StoreIdentity"/>.</summary>
public sealed record StoreRecord(string Path, string Identity);

/// <summary>One finished layer of a suite, as suite.json lists it.</summary>
public sealed record SuiteLayerSummary(int Layer, string Checkpoint, int PoolRows, int PoolActive, int Pruned, double EvalNmse, int LiveLatents);

/// <summary>One family of pooled features, as suite.json lists it: its birth layer, size and every member's death layer
/// (-1: still pooled).</summary>
public sealed record SuiteSourceRecord(string Name, int BirthLayer, int Latents, int K, int[] Death);

/// <summary>
/// suite.json: the suite's config and store, the layers finished so far with their summaries, and the pool's sources.
/// Read back with every field checked (types by the serializer, ranges by the config's rules, and the sources and
/// layers against each other), so a damaged file is bad input naming it.
/// </summary>
public sealed record SuiteManifest
{
    public string Format { get; init; } = SuiteFiles.Format;
    public SuiteConfig Config { get; init; } = new();
    public StoreRecord? Store { get; init; }
    public int[] CompletedLayers { get; init; } = [];
    public SuiteLayerSummary[] Layers { get; init; } = [];
    public SuiteSourceRecord[] Sources { get; init; } = [];

    private const string EnrichedOnPoolKey = "enriched_on_pool";

    public static SuiteManifest Read(string path)
    {
        var root = JsonFiles.ReadObject(path);
        string format = JsonFiles.Get<string>(root, "format", path);
        if (format != SuiteFiles.Format) throw new BadInputException(path, $"format '{format}' is not '{SuiteFiles.Format}'");
        if (root["config"] is JsonObject config && !config.ContainsKey(EnrichedOnPoolKey)) config[EnrichedOnPoolKey] = false;
        var manifest = JsonFiles.Deserialize<SuiteManifest>(root, path, "suite manifest");
        manifest.Check(path);
        return manifest;
    }

    private void Check(string path)
    {
        if (Config is null || Config.Train is null || CompletedLayers is null || Layers is null || Sources is null)
            throw new BadInputException(path, "config, completed_layers, layers and sources are required");
        ConfigChecks.Validate(Config, path, "config.");
        if (Config.Layers is null || Config.Layers.Length == 0 || Config.Layers.Any(l => l is < 0 or > 99))
            throw new BadInputException(path, "config.layers must list layers in 0..99");
        if (CompletedLayers.Any(l => !Config.Layers.Contains(l)) || CompletedLayers.Distinct().Count() != CompletedLayers.Length)
            throw new BadInputException(path, "completed_layers must be distinct layers of config.layers");
        foreach (var s in Sources)
        {
            if (s is null || s.Name is null || s.Death is null) throw new BadInputException(path, "a source lacks its name or deaths");
            if (s.Name != SuiteConfig.EnrichedSource && !Config.Layers.Any(l => SuiteConfig.SourceName(l) == s.Name))
                throw new BadInputException(path, $"source '{s.Name}' is neither '{SuiteConfig.EnrichedSource}' nor a layer of the suite");
            if (s.BirthLayer is < 0 or > 99 || s.Latents < 1 || s.K < 1 || s.K > s.Latents || s.Death.Length != s.Latents
                || s.Death.Any(death => death < -1 || (death >= 0 && death <= s.BirthLayer)))
                throw new BadInputException(path, $"source '{s.Name}' has inconsistent sizes or death layers");
        }
        if (Sources.Select(s => s.Name).Distinct().Count() != Sources.Length) throw new BadInputException(path, "a source is listed twice");
    }
}
