using System.Text.Json.Nodes;
using Lexicon.Data;
using Lexicon.Data.Formats;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Checkpoints;

/// <summary>A named float tensor for a checkpoint's lexicon.safetensors.</summary>
public sealed record NamedTensor(string Name, float[] Values, long[] Shape);

/// <summary>A single-layer SAE checkpoint as read back: SAELens part always, Lexicon's config and trainer state when
/// the checkpoint was written by Lexicon.</summary>
public sealed record LoadedCheckpoint(string Directory, SaeLensConfig SaeLens, SaeWeights Weights, TrainConfig? Config,
    TrainerState? State, JsonObject? Summary, TableWeights? Tables = null)
{
    public TrainerStart? Start => State is null ? null : new TrainerStart(Weights, Tables, State);
}

/// <summary>
/// Checkpoint directories (DESIGN.md §5): cfg.json + sae_weights.safetensors (SAELens), lexicon.json (the run's
/// config and summary), trainer_state.safetensors (Adam moments, counters, stream cursor: resume is bit-identical).
/// Written atomically: a crash never leaves a half checkpoint where a good one was.
/// </summary>
public static class Checkpoint
{
    public const string WeightsFile = "sae_weights.safetensors";
    public const string LexiconFile = "lexicon.json";
    public const string StateFile = "trainer_state.safetensors";
    public const string TablesFile = "lexicon.safetensors";
    public const string Format = "lexicon-sae/1";

    /// <param name="extraTensors">More tensors for lexicon.safetensors (the suite's pooled decoders).</param>
    /// <param name="extraJson">More entries for lexicon.json (the suite's pool description).</param>
    public static void Write(string directory, TrainConfig config, SaeWeights weights, TrainerState? state, JsonObject? summary,
        StoreManifest? store, TableWeights? tables = null, IReadOnlyList<NamedTensor>? extraTensors = null, JsonObject? extraJson = null)
    {
        AtomicDirectory.Write(directory, temp =>
        {
            var saeLens = new SaeLensConfig(weights.D, weights.Latents, config.K, store?.Model, $"layer_{config.Layer:D2}");
            JsonFiles.Write(Path.Combine(temp, SaeLensConfig.FileName), saeLens.ToJson());
            WriteWeights(Path.Combine(temp, WeightsFile), weights);
            var lexicon = new JsonObject
            {
                ["format"] = Format,
                ["config"] = JsonFiles.ToNode(config),
                ["tables"] = JsonFiles.ToNode(tables?.Layout.Tables ?? []),
                ["summary"] = summary?.DeepClone(),
            };
            foreach (var (key, value) in extraJson ?? []) lexicon[key] = value?.DeepClone();
            JsonFiles.Write(Path.Combine(temp, LexiconFile), lexicon);
            if (tables is not null || extraTensors is { Count: > 0 }) WriteTables(Path.Combine(temp, TablesFile), tables, extraTensors ?? []);
            if (state is not null) WriteState(Path.Combine(temp, StateFile), state);
        });
    }

    public static LoadedCheckpoint Load(string directory)
    {
        directory = AtomicDirectory.Resolve(directory);
        if (!System.IO.Directory.Exists(directory)) throw new BadInputException(directory, "no such checkpoint directory");
        var saeLens = SaeLensConfig.Read(directory);
        var weights = ReadWeights(Path.Combine(directory, WeightsFile), saeLens);
        string lexiconPath = Path.Combine(directory, LexiconFile);
        TrainConfig? config = null;
        JsonObject? summary = null;
        TableWeights? tables = null;
        if (File.Exists(lexiconPath))
        {
            var root = JsonFiles.ReadObject(lexiconPath);
            string format = JsonFiles.Get<string>(root, "format", lexiconPath);
            if (format != Format) throw new BadInputException(lexiconPath, $"format '{format}' is not '{Format}'");
            config = JsonFiles.Deserialize<TrainConfig>(root["config"], lexiconPath, "'config'");
            if (config.Latents != saeLens.DSae || config.K != saeLens.K)
                throw new BadInputException(lexiconPath, $"config (latents {config.Latents}, k {config.K}) disagrees with cfg.json (d_sae {saeLens.DSae}, k {saeLens.K})");
            summary = root["summary"] as JsonObject;
            var specs = JsonFiles.Deserialize<TableSpec[]>(root["tables"] ?? new JsonArray(), lexiconPath, "'tables'");
            if (specs.Length > 0) tables = ReadTables(Path.Combine(directory, TablesFile), new TableLayout(specs), weights.D);
        }
        string statePath = Path.Combine(directory, StateFile);
        var state = File.Exists(statePath) ? ReadState(statePath, weights.Shape, tables) : null;
        return new LoadedCheckpoint(directory, saeLens, weights, config, state, summary, tables);
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
            file.ReadFloats(name).CopyTo(tables.Table(t));
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
            if (values.Any(v => !float.IsFinite(v))) throw new BadInputException(path, $"'{name}' holds NaN or infinite values");
            return values;
        }
        return new SaeWeights(shape, Transpose(Tensor("W_enc", cfg.DIn, cfg.DSae), cfg.DIn, cfg.DSae), Tensor("b_enc", cfg.DSae),
            Tensor("W_dec", cfg.DSae, cfg.DIn), Tensor("b_dec", cfg.DIn));
    }

    private static void WriteState(string path, TrainerState s)
    {
        var writer = new SafeTensorsWriter();
        writer.Metadata["format"] = "lexicon-trainer-state/1";
        writer.Add("counters", [s.Step, s.TokensSeen, s.Cursor.Epoch, s.Cursor.Position], [4]);
        writer.Add("normalizer", [s.Normalizer], [1]);
        writer.Add("adam.moment1", s.Moment1, [s.Moment1.Length]);
        writer.Add("adam.moment2", s.Moment2, [s.Moment2.Length]);
        writer.Add("since_fired", s.SinceFired, [s.SinceFired.Length]);
        if (s.TableMoment1 is not null && s.TableMoment2 is not null && s.TableRowSteps is not null)
        {
            writer.Add("table.moment1", s.TableMoment1, [s.TableMoment1.Length]);
            writer.Add("table.moment2", s.TableMoment2, [s.TableMoment2.Length]);
            writer.Add("table.row_steps", s.TableRowSteps, [s.TableRowSteps.Length]);
        }
        writer.Write(path);
    }

    private static TrainerState ReadState(string path, SaeShape shape, TableWeights? tables)
    {
        using var file = SafeTensorsFile.Open(path);
        long length = new ParameterLayout(shape).Length;
        var counters = file.ReadLongs("counters");
        var normalizer = file.ReadFloats("normalizer");
        var m1 = file.ReadFloats("adam.moment1");
        var m2 = file.ReadFloats("adam.moment2");
        var since = file.ReadInts("since_fired");
        if (counters.Length != 4 || normalizer.Length != 1 || m1.Length != length || m2.Length != length || since.Length != shape.Latents)
            throw new BadInputException(path, $"trainer state does not fit an SAE of d {shape.D} and {shape.Latents} latents");
        if (counters.Any(c => c < 0)) throw new BadInputException(path, "negative step or token counters");
        float[]? t1 = null, t2 = null;
        int[]? rowSteps = null;
        if (tables is not null)
        {
            t1 = file.ReadFloats("table.moment1");
            t2 = file.ReadFloats("table.moment2");
            rowSteps = file.ReadInts("table.row_steps");
            if (t1.Length != tables.Values.Length || t2.Length != tables.Values.Length || rowSteps.Length != tables.Layout.TotalRows)
                throw new BadInputException(path, "table moments do not fit the checkpoint's tables");
        }
        return new TrainerState(counters[0], counters[1], new StreamCursor(counters[2], counters[3]), normalizer[0], m1, m2, since, t1, t2, rowSteps);
    }

    private static float[] Transpose(float[] a, int rows, int columns)
    {
        var t = new float[a.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) t[(long)c * rows + r] = a[(long)r * columns + c];
        return t;
    }
}
