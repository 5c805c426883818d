using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Kernels;
using Lexicon.Metrics;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Suite;

/// <summary>
/// Trains the recursive suite (DESIGN.md §1, point 3): layer after layer, each layer's own SAE learns what its pool of
/// known features cannot explain. The pool of layer L holds the tables (started from layer L−1's rows), the enriched-
/// token SAE's codes, and the own latents of every earlier layer: activations from their birth layer's encoder (cached
/// codes), decoder rows copied from layer L−1 and fine-tuned at L. A pooled feature whose decoder norm falls below
/// the pruning norm leaves the pool; its death layer is recorded. Every finished layer is saved before the next one
/// starts, so an interrupted suite resumes at the first unfinished layer. Under mpiexec (<paramref name="world"/>) every
/// rank runs the same suite, each layer data-parallel (<see cref="Distributed.RowPartition"/>: the same bits as one
/// process), and the lead alone writes into <paramref name="root"/>, which the ranks share.
/// </summary>
public sealed class SuiteTrainer(IKernels kernels, ActivationStore store, SuiteConfig config, string root, Action<SuiteProgress>? progress = null,
    ITokenActivations? model = null, Distributed.World? world = null)
{
    private const int ShareSample = 16384;

    private readonly List<PoolSource> _sources = [];
    private readonly List<int> _completed = [];
    private readonly List<SuiteLayerSummary> _layerSummaries = [];
    private readonly Dictionary<(string, int), float[]> _previousRows = [];
    private TableWeights? _tables;

    /// <summary>This process writes the suite's files (the lead under mpiexec).</summary>
    private bool Writes => world?.IsLead ?? true;

    /// <summary>A new layer's trainer, data-parallel under mpiexec.</summary>
    private Trainer NewTrainer(ResolvedTrainConfig train, PoolInput? pool = null) =>
        new(kernels, store, train, initialTables: _tables, pool: pool, model: model, partition: world is null ? null : new Distributed.RowPartition(world));

    /// <summary>Trains the layers not yet done; stops after stopAfterLayer if given. Returns whether the suite is complete.</summary>
    public bool Run(int? stopAfterLayer = null, CancellationToken cancel = default)
    {
        Resume();
        foreach (int layer in config.Layers)
        {
            if (_completed.Contains(layer)) continue;
            cancel.ThrowIfCancellationRequested();
            if (config.PoolEnriched && layer == config.EnrichLayer && Source(SuiteConfig.EnrichedSource) is null) TrainEnriched(layer, cancel);
            TrainLayer(layer, cancel);
            if (layer == stopAfterLayer) return layer == config.Layers[^1];
        }
        return true;
    }

    private PoolSource? Source(string name) => _sources.FirstOrDefault(s => s.Name == name);

    private ResolvedTrainConfig LayerConfig(int layer) => config.LayerConfig(layer, store.D, store.TokenCount);

    private void TrainEnriched(int layer, CancellationToken cancel)
    {
        var train = LayerConfig(layer) with { Latents = config.EnrichLatentCount, K = Math.Min(config.EnrichK, config.EnrichLatentCount) };
        train = train with { AuxK = Math.Min(train.AuxK, train.Latents) };
        var (plan, pool) = PoolOf(_sources.Where(s => InEnrichedPool(s, config, layer)), train, layer);
        using var trainer = NewTrainer(train, pool);
        Report("enriched", trainer, cancel);
        var weights = trainer.Weights();
        var tables = trainer.Tables();
        var trainedPool = pool is null ? null : pool with { Values = trainer.PoolValues()! };
        var known = new KnownWeights(tables, trainedPool, train.SubtractTables);
        var codes = CodeExtractor.Run(kernels, weights, train.K, store, layer, known, train.NormalizeTokens);
        var source = new PoolSource(SuiteConfig.EnrichedSource, layer, train.Latents, train.K, store.D, weights.WDec, codes.Index, codes.Value);
        if (Writes)
        {
            // The pooled rows it trained against are saved with it: its codes on another store need the same known part.
            var shares = trainedPool is null ? [] : Evaluator.Run(kernels, weights, train.K, store, layer,
                new EvalOptions { Known = known, Rows = Sample(train), Normalize = train.NormalizeTokens }).PoolRowShares!;
            Checkpoint.Write(SuiteFiles.EnrichedDirectory(root), CheckpointContent.Of(trainer, store, resumable: false) with
            {
                ExtraTensors = trainedPool is null ? [] : PoolTensors(plan, trainedPool, shares),
            });
            SuiteFiles.WriteCodes(root, source, codes.LatentShares);
        }
        _sources.Add(source);
        SaveManifest();
    }

    private void TrainLayer(int layer, CancellationToken cancel)
    {
        var train = LayerConfig(layer);
        var (plan, pool) = PoolOf(_sources.Where(s => InPool(s, config, layer)), train, layer);
        using var trainer = NewTrainer(train, pool);
        Report(SuiteConfig.SourceName(layer), trainer, cancel);
        var weights = trainer.Weights();
        var tables = trainer.Tables();
        var trainedPool = pool is null ? null : pool with { Values = trainer.PoolValues()! };

        var known = new KnownWeights(tables, trainedPool, train.SubtractTables);
        var codes = CodeExtractor.Run(kernels, weights, train.K, store, layer, known, train.NormalizeTokens);
        var sample = Sample(train);
        var eval = Evaluator.Run(kernels, weights, train.K, store, layer,
            new EvalOptions { Known = known, Rows = sample, Normalize = train.NormalizeTokens });
        var poolShares = eval.PoolRowShares ?? [];
        var poolFits = eval.PoolRowFits ?? [];

        // Prune and carry: rows that keep their strength go on to the next layer as its starting rows.
        _previousRows.Clear();
        int pruned = 0;
        for (int g = 0; g < plan.Rows; g++)
        {
            var (source, m) = plan.Members[g];
            var row = trainedPool!.Values.AsSpan(g * store.D, store.D).ToArray();
            // A feature pooled at its own birth layer (the enriched codes) is judged from the next layer on.
            if (source.BirthLayer < layer && Strength(row, poolFits, g) < config.PoolThreshold)
            {
                source.Death[m] = layer;
                pruned++;
            }
            else _previousRows[(source.Name, m)] = row;
        }

        var own = new PoolSource(SuiteConfig.SourceName(layer), layer, train.Latents, train.K, store.D, weights.WDec, codes.Index, codes.Value);
        var summary = trainer.Last?.ToJson() ?? [];
        summary["eval_nmse"] = eval.Nmse;
        summary["live_latents"] = eval.LiveLatents;
        if (Writes)
        {
            Checkpoint.Write(SuiteFiles.LayerDirectory(root, layer), CheckpointContent.Of(trainer, store, resumable: false) with
            {
                Summary = summary,
                ExtraTensors = PoolTensors(plan, trainedPool, poolShares),
                ExtraJson = new JsonObject { ["pool"] = JsonFiles.ToNode(Pool(plan, layer)) },
            });
            SuiteFiles.WriteCodes(root, own, codes.LatentShares);
        }
        _sources.Add(own);
        _tables = tables;
        _completed.Add(layer);
        _layerSummaries.Add(new SuiteLayerSummary(layer, Path.GetFileName(SuiteFiles.LayerDirectory(root, layer)), plan.Rows, plan.Active, pruned,
            eval.Nmse, eval.LiveLatents));
        SaveManifest();
    }

    /// <summary>Pooled features serve the layers after their birth layer, own latents from the layer after theirs; the
    /// enriched codes from the enrichment layer itself (<see cref="SuiteConfig.EnrichedOnPool"/>; before that rule, from
    /// the layer after).</summary>
    public static bool InPool(PoolSource source, SuiteConfig config, int layer) => source.Name == SuiteConfig.EnrichedSource
        ? config.PoolEnriched && (config.EnrichedOnPool ? source.BirthLayer <= layer : source.BirthLayer < layer)
        : config.PoolFeatures && source.BirthLayer < layer;

    /// <summary>The pool the enriched SAE trains against at its layer: the earlier layers' features (none before the
    /// rule of <see cref="SuiteConfig.EnrichedOnPool"/>).</summary>
    public static bool InEnrichedPool(PoolSource source, SuiteConfig config, int layer) =>
        config.EnrichedOnPool && source.Name != SuiteConfig.EnrichedSource && InPool(source, config, layer);

    /// <summary>A layer's pool of the given sources, each row starting from the layer before's (a new row from its birth
    /// decoder), at the pooled rate.</summary>
    private (PoolPlan Plan, PoolInput? Pool) PoolOf(IEnumerable<PoolSource> sources, ResolvedTrainConfig train, int layer)
    {
        var plan = new PoolPlan(sources.ToList(), layer);
        float rate = config.PoolLearningRate ?? train.LearningRate;
        return (plan, plan.IsEmpty ? null : plan.Input(store.D, store.TokenCount, (s, m) => _previousRows.GetValueOrDefault((s.Name, m)), rate));
    }

    private void Report(string stage, Trainer trainer, CancellationToken cancel) =>
        trainer.Run(onProgress: p => progress?.Invoke(new SuiteProgress(stage, (double)p.Step / p.TotalSteps,
            $"loss {p.Loss:F4}  L0 {p.L0:F1}  {p.TokensPerSecond:N0} tok/s")), cancel: cancel);

    private long[] Sample(TrainSettings train)
    {
        var rows = Trainer.TrainingRows(store, train);
        var rng = Rng.Derive(train.Seed, 0x5A4E_E5);
        return Enumerable.Range(0, Math.Min(ShareSample, rows.Length)).Select(_ => rows[rng.NextLong(rows.Length)]).Order().ToArray();
    }

    /// <summary>Per source in the pool, its decoder rows at this layer ("pool.NAME" [latents, d], zero where not pooled)
    /// and their variance shares ("pool_share.NAME").</summary>
    private List<NamedTensor> PoolTensors(PoolPlan plan, PoolInput? pool, double[] shares)
    {
        var tensors = new List<NamedTensor>();
        int d = store.D;
        foreach (var source in plan.Sources)
        {
            var rows = new float[(long)source.Latents * d];
            var share = new float[source.Latents];
            for (int m = 0; m < source.Latents; m++)
            {
                int g = plan.RowOf(source, m);
                if (g < 0) continue;
                pool!.Values.AsSpan(g * d, d).CopyTo(rows.AsSpan(m * d, d));
                share[m] = (float)shares[g];
            }
            tensors.Add(new NamedTensor("pool." + source.Name, rows, [source.Latents, d]));
            tensors.Add(new NamedTensor("pool_share." + source.Name, share, [source.Latents]));
        }
        return tensors;
    }

    /// <summary>A pooled row's strength under --pool-death; a row whose code never fired on the sample has no fit and
    /// is judged by its norm.</summary>
    private double Strength(float[] row, double[] fits, int g) =>
        config.PoolDeath == "fit" && g < fits.Length && double.IsFinite(fits[g]) ? fits[g] : Metrics.Vectors.Norm(row);

    private PoolDescription Pool(PoolPlan plan, int layer) => new(plan.Rows, plan.Active, config.PoolThreshold, config.PoolDeath,
        [.. plan.Sources.Select(s => new PooledSource(s.Name, s.BirthLayer, s.Latents, s.K, s.Death.Count(death => death == layer)))]);

    private void SaveManifest()
    {
        if (Writes) SuiteFiles.WriteManifest(root, Manifest());
    }

    private SuiteManifest Manifest() => new()
    {
        Config = config,
        Store = new StoreRecord(config.Data, store.Identity),
        CompletedLayers = [.. _completed],
        Layers = [.. _layerSummaries],
        Sources = [.. _sources.Select(s => new SuiteSourceRecord(s.Name, s.BirthLayer, s.Latents, s.K, [.. s.Death]))],
    };

    /// <summary>Picks up a suite directory's finished layers: sources with their codes and deaths, the last layer's tables
    /// and pooled rows. A suite.json written for another configuration is refused.</summary>
    private void Resume()
    {
        // The lead prepares the directory before any rank reads it; the ranks agree on whether that worked.
        void Prepare()
        {
            Directory.CreateDirectory(root);
            SuiteFiles.RemoveLeftovers(root);
            // Written before any layer, so that an interrupted suite is recognisably one (and resumes).
            if (SuiteFiles.ReadManifest(root) is null) SaveManifest();
        }
        if (world is null) Prepare();
        else world.OnLead(Prepare, "preparing the suite's directory");
        var manifest = SuiteFiles.ReadManifest(root);
        if (manifest is null) return;
        string path = Path.Combine(root, SuiteFiles.ManifestFile);
        if (JsonFiles.ToNode(manifest.Config).ToJsonString() != JsonFiles.ToNode(config).ToJsonString())
            throw new BadInputException(path, "this suite was started with other settings; use another --out, the same flags, or --force to replace it");
        if (manifest.Store is { } saved && saved.Identity != store.Identity)
            throw new BadInputException(path, $"this suite was trained on another store than --data {store.Directory} (its identity differs); " +
                "resume it on its own store, or use another --out");
        foreach (var record in manifest.Sources)
        {
            var source = SuiteFiles.ReadCodes(root, record);
            if (source.CodeIndex.Length / source.K != store.TokenCount || source.D != store.D)
                throw new BadInputException(SuiteFiles.CodesFile(root, source.Name), "codes do not fit the store (tokens or width differ)");
            _sources.Add(source);
        }
        _completed.AddRange(manifest.CompletedLayers);
        _layerSummaries.AddRange(manifest.Layers);
        if (_completed.Count == 0) return;
        int last = _completed.Max();
        var checkpoint = Checkpoint.Load(SuiteFiles.LayerDirectory(root, last));
        _tables = checkpoint.Tables;
        // The layer after `last` starts its pooled rows from `last`'s, for the features still pooled.
        var pooled = _sources.Where(s => InPool(s, config, last)).ToList();
        if (pooled.Count == 0) return;
        using var file = Data.Formats.SafeTensorsFile.Open(Path.Combine(checkpoint.Directory, Checkpoint.TablesFile));
        foreach (var source in pooled)
        {
            var rows = file.ReadFloats("pool." + source.Name);
            for (int m = 0; m < source.Latents; m++)
                if (source.Pooled(m)) _previousRows[(source.Name, m)] = rows.AsSpan(m * store.D, store.D).ToArray();
        }
    }
}
