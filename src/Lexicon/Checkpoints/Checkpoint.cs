using System.Text.Json.Nodes;
using Lexicon.Configuration;
using Lexicon.Data.Formats;
using Lexicon.Model;
using Lexicon.Output;
using Lexicon.Training;

namespace Lexicon.Checkpoints;

/// <summary>A single-layer SAE checkpoint as read back: SAELens part always, Lexicon's config and trainer state when
/// the checkpoint was written by Lexicon.</summary>
public sealed record LoadedCheckpoint(string Directory, SaeLensConfig SaeLens, SaeWeights Weights, ResolvedTrainConfig? Config,
    TrainerState? State, JsonObject? Summary, TableWeights? Tables = null, string? StoreIdentity = null, Data.StoreModel? StoreModel = null)
{
    public TrainerStart? Start => State is null ? null : new TrainerStart(Weights, Tables, State);

    /// <summary>Whether the SAE sees tokens scaled to norm √d (<see cref="Data.RowNorm"/>).</summary>
    public bool NormalizeTokens => Config?.NormalizeTokens ?? SaeLens.NormalizeTokens;

    /// <summary>Its known part: its tables, the given pool (a suite layer's), subtracted from the input as it was trained.</summary>
    public KnownWeights Known(PoolInput? pool = null) => new(Tables, pool, Config?.SubtractTables ?? false);

    /// <summary>Throws where <paramref name="store"/> holds another model's activations than the training store did.</summary>
    public void RequireSameModel(Data.ActivationStore store)
    {
        if (store.D != Weights.D) throw new BadInputException(Path.Combine(store.Directory, Data.StoreManifest.FileName),
            $"--data: d_model {store.D} does not match the SAE's d_in {Weights.D}");
        StoreModel?.RequireSame(store, "the SAE");
    }
}

/// <summary>
/// Checkpoint directories (DESIGN.md §5): cfg.json + sae_weights.safetensors (SAELens), lexicon.json (the run's
/// config, summary and store), trainer_state.safetensors (Adam moments, counters, stream cursor: resume is
/// bit-identical). Written atomically: a crash never leaves a half checkpoint where a good one was. Everything read
/// back is checked (shapes, types, ranges, finite values) and reported against its file.
/// </summary>
public static class Checkpoint
{
    public const string WeightsFile = "sae_weights.safetensors";
    public const string LexiconFile = "lexicon.json";
    public const string StateFile = "trainer_state.safetensors";
    public const string TablesFile = "lexicon.safetensors";
    public static readonly string Format = OutputKind.Checkpoint.Format;

    public static void Write(string directory, CheckpointContent c)
    {
        AtomicDirectory.Write(directory, temp =>
        {
            var saeLens = new SaeLensConfig(c.Weights.D, c.Weights.Latents, c.Config.K, c.Store?.Model, $"layer_{c.Config.Layer:D2}")
            {
                KnownPart = KnownPart(c),
                NormalizeTokens = c.Config.NormalizeTokens,
                MinActivation = c.Config.MinActivation,
            };
            JsonFiles.Write(Path.Combine(temp, SaeLensConfig.FileName), saeLens.ToJson());
            WriteWeights(Path.Combine(temp, WeightsFile), c.Weights);
            var lexicon = new LexiconJson
            {
                Format = Format,
                Config = c.Config,
                Tables = [.. c.Tables?.Layout.Tables ?? []],
                Summary = c.Summary?.DeepClone().AsObject(),
                Store = c.StoreIdentity is null ? null : new CheckpointStore(c.Config.Data, c.StoreIdentity, c.Store?.Model, c.Store?.Tokenizer,
                    c.Store?.VocabSize, c.Store?.DModel),
            };
            var json = JsonFiles.ToNode(lexicon).AsObject();
            foreach (var (key, value) in c.ExtraJson ?? []) json[key] = value?.DeepClone();
            JsonFiles.Write(Path.Combine(temp, LexiconFile), json);
            if (c.Tables is not null || c.ExtraTensors.Count > 0) WriteTables(Path.Combine(temp, TablesFile), c.Tables, c.ExtraTensors);
            if (c.State is not null) CheckpointState.Write(Path.Combine(temp, StateFile), c.State);
        });
    }

    /// <summary>What cfg.json says a SAELens user is missing: the tables and pooled features that lexicon.safetensors holds,
    /// and whether the encoder saw x minus them (then SAELens's codes are other latents than Lexicon's).</summary>
    private static JsonObject? KnownPart(CheckpointContent c)
    {
        bool tables = c.Tables is not null, pool = c.ExtraTensors.Any(t => t.Name.StartsWith("pool.", StringComparison.Ordinal));
        if (!tables && !pool) return null;
        return new JsonObject
        {
            ["required"] = true,
            ["file"] = TablesFile,
            ["tables"] = new JsonArray([.. (c.Tables?.Layout.Tables ?? []).Select(t => (JsonNode)t.Name)]),
            ["pooled_features"] = pool,
            ["encoder_input"] = c.Config.SubtractTables ? "x minus the known part" : "x",
            ["note"] = "x_hat = b_dec + known part + own latents' decode; SAELens loads the own latents only" +
                (c.Config.SubtractTables ? ", and encodes x where Lexicon encodes x minus the known part, so its codes differ" : "") +
                ". Use lexicon eval / encode for the full model.",
        };
    }

    public static LoadedCheckpoint Load(string directory)
    {
        if (string.IsNullOrWhiteSpace(directory)) throw new BadInputException("--sae/--resume", "names no directory");
        directory = AtomicDirectory.Resolve(directory);
        if (File.Exists(directory)) throw new BadInputException(directory, "is a file, not a checkpoint directory");
        if (!System.IO.Directory.Exists(directory)) throw new BadInputException(directory, "no such checkpoint directory");
        var saeLens = SaeLensConfig.Read(directory);
        var weights = ReadWeights(Path.Combine(directory, WeightsFile), saeLens);
        string lexiconPath = Path.Combine(directory, LexiconFile);
        ResolvedTrainConfig? config = null;
        JsonObject? summary = null;
        TableWeights? tables = null;
        string? identity = null;
        Data.StoreModel? storeModel = null;
        if (File.Exists(lexiconPath))
        {
            var root = JsonFiles.ReadObject(lexiconPath);
            string format = JsonFiles.Get<string>(root, "format", lexiconPath);
            if (format != Format) throw new BadInputException(lexiconPath, $"format '{format}' is not '{Format}'");
            config = JsonFiles.Deserialize<ResolvedTrainConfig>(root["config"], lexiconPath, "'config'");
            ConfigChecks.Validate(config, lexiconPath, "config.");
            if (config.Latents != saeLens.DSae || config.K != saeLens.K)
                throw new BadInputException(lexiconPath, $"config (latents {config.Latents}, k {config.K}) disagrees with cfg.json (d_sae {saeLens.DSae}, k {saeLens.K})");
            if (root["summary"] is { } s && s is not JsonObject) throw new BadInputException(lexiconPath, "'summary' is not an object");
            summary = root["summary"] as JsonObject;
            if (root["store"] is JsonObject store)
            {
                identity = JsonFiles.Get<string>(store, "identity", lexiconPath);
                if (JsonFiles.GetOptional<int>(store, "vocab_size", lexiconPath) is var vocab and > 0)
                    storeModel = new Data.StoreModel(JsonFiles.GetOptional<string>(store, "model", lexiconPath),
                        JsonFiles.GetOptional<string>(store, "tokenizer", lexiconPath), vocab, JsonFiles.Get<int>(store, "d_model", lexiconPath));
            }
            var specs = JsonFiles.Deserialize<TableSpec[]>(root["tables"] ?? new JsonArray(), lexiconPath, "'tables'");
            foreach (var spec in specs)
                if (spec?.Problem() is { } problem) throw new BadInputException(lexiconPath, $"table '{spec.Name}': {problem}");
                else if (spec is null) throw new BadInputException(lexiconPath, "'tables' lists a null table");
            if (specs.Length > 0) tables = ReadTables(Path.Combine(directory, TablesFile), new TableLayout(specs), weights.D);
        }
        string statePath = Path.Combine(directory, StateFile);
        var state = File.Exists(statePath) ? CheckpointState.Read(statePath, weights.Shape, tables) : null;
        weights = weights with { MinActivation = config?.MinActivation ?? 0 };
        return new LoadedCheckpoint(directory, saeLens, weights, config, state, summary, tables, identity, storeModel);
    }

    /// <summary>lexicon.safetensors: "table.NAME" [rows, d] per table, then any extra tensors.</summary>
    private static void WriteTables(string path, TableWeights? tables, IReadOnlyList<NamedTensor> extra)
    {
        var writer = new SafeTensorsWriter();
        writer.Metadata["format"] = "lexicon-tables/1";
        for (int t = 0; t < (tables?.Layout.Tables.Count ?? 0); t++)
            writer.Add("table." + tables!.Layout.Tables[t].Name, tables.Table(t), [tables.Layout.Tables[t].Rows, tables.D]);
        foreach (var tensor in extra) writer.Add(tensor.Name, tensor.Values, tensor.Shape);
        writer.Write(path);
    }

    private static TableWeights ReadTables(string path, TableLayout layout, int d)
    {
        using var file = SafeTensorsFile.Open(path);
        var tables = TableWeights.Zeros(layout, d);
        for (int t = 0; t < layout.Tables.Count; t++)
        {
            string name = "table." + layout.Tables[t].Name;
            var info = file.Get(name);
            long[] expected = [layout.Tables[t].Rows, d];
            if (!info.Shape.SequenceEqual(expected))
                throw new BadInputException(path, $"'{name}' has shape {Shapes.List(info.Shape)}, lexicon.json implies {Shapes.List(expected)}");
            var values = file.ReadFloats(name);
            TensorChecks.Plausible(values, path, name);
            values.CopyTo(tables.Table(t));
        }
        return tables;
    }

    /// <summary>Our latent-major W_enc [M, d] is SAELens' W_enc [d, M] transposed.</summary>
    private static void WriteWeights(string path, SaeWeights w)
    {
        var writer = new SafeTensorsWriter();
        writer.Add("W_enc", Transpose(w.WEnc, w.Latents, w.D), [w.D, w.Latents]);
        writer.Add("b_enc", w.BEnc, [w.Latents]);
        writer.Add("W_dec", w.WDec, [w.Latents, w.D]);
        writer.Add("b_dec", w.BDec, [w.D]);
        writer.Write(path);
    }

    private static SaeWeights ReadWeights(string path, SaeLensConfig cfg)
    {
        using var file = SafeTensorsFile.Open(path);
        var shape = new SaeShape(cfg.DIn, cfg.DSae);
        float[] Tensor(string name, params long[] expected)
        {
            var info = file.Get(name);
            if (!info.Shape.SequenceEqual(expected))
                throw new BadInputException(path, $"'{name}' has shape {Shapes.List(info.Shape)}, cfg.json implies {Shapes.List(expected)}");
            var values = file.ReadFloats(name);
            TensorChecks.Plausible(values, path, name);
            return values;
        }
        return new SaeWeights(shape, Transpose(Tensor("W_enc", cfg.DIn, cfg.DSae), cfg.DIn, cfg.DSae), Tensor("b_enc", cfg.DSae),
            Tensor("W_dec", cfg.DSae, cfg.DIn), Tensor("b_dec", cfg.DIn));
    }

    private static float[] Transpose(float[] a, int rows, int columns)
    {
        var t = new float[a.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) t[(long)c * rows + r] = a[(long)r * columns + c];
        return t;
    }
}
