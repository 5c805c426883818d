using System.Diagnostics;
using Lexicon.Data;
using Lexicon.Kernels;
using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>
/// Single-layer TopK SAE training: streams shuffled batches from the store onto the backend, runs
/// <see cref="TrainingStep"/>, reports progress, and hands out resumable snapshots. Deterministic for a config
/// (seed included) and a backend: a run resumed from a snapshot ends bit-identical to an uninterrupted one.
/// </summary>
public sealed class Trainer : IDisposable
{
    private const int ReportEvery = 10;

    private readonly ActivationStore _store;
    private readonly DeviceSae _sae;
    private readonly KnownInputs _known;
    private readonly TrainingStep _step;
    private readonly ShuffledRows _stream;
    private readonly float[] _x;
    private readonly long[] _rowIds;
    private readonly float _normalizer;
    private long _tokensSeen;
    private readonly int _ownStart;

    /// <param name="config">A config already <see cref="TrainConfig.Resolve"/>d for this store.</param>
    /// <param name="start">Weights, tables and state to continue from, or null to initialise.</param>
    /// <param name="initialTables">The previous layer's tables, which this layer's start from instead of --table-init's (the
    /// suite carries a layer's to the next; see <see cref="TableInitializer.Carry"/>).</param>
    /// <param name="pool">The feature pool this layer trains with (the suite's), or null.</param>
    /// <param name="model">The model's per-token activations, for --table-init model.</param>
    /// <param name="partition">How the steps are divided among ranks: data-parallel, or latent-parallel, where this
    /// process holds only the latents it owns (of the same initialisation or checkpoint on every rank); null: not at all.</param>
    public Trainer(IKernels kernels, ActivationStore store, ResolvedTrainConfig config, TrainerStart? start = null,
        TableWeights? initialTables = null, PoolInput? pool = null, ITokenActivations? model = null, IPartition? partition = null)
    {
        _store = store;
        Config = config;
        int d = store.D;
        var rows = TrainingRows(store, config);
        Layout = new TableLayout(TableSpec.Parse(config.Tables, store.Manifest.VocabSize, config.TableRows));
        TrainingMemory.For(config, d, Layout, pool?.Rows ?? 0, pool?.Active ?? 0).Check(Backends.InHostMemory(kernels), Backends.DeviceMemory(kernels));
        SaeWeights weights;
        TableWeights? tables = null;
        if (start is not null)
        {
            weights = start.Weights;
            tables = start.Tables;
            _normalizer = start.State.Normalizer;
        }
        else
        {
            // With tables the encoder starts at half the decoder's transpose: the tables already explain part of x.
            (weights, _normalizer) = SaeInitializer.Initialize(config, store, rows, Layout.IsEmpty ? 1 : 0.5f);
            if (!Layout.IsEmpty)
                tables = initialTables is not null
                    ? TableInitializer.Carry(initialTables, store, config.Layer, weights.BDec, rows, config.TableInitSample, config.Seed,
                        config.NormalizeTokens)
                    : TableInitializer.Initialize(config.TableInit, Layout, store, config.Layer, weights.BDec, rows, config.TableInitSample,
                        config.Seed, model, config.NormalizeTokens);
        }
        (_ownStart, int own) = (partition ?? WholeBatch.Instance).Own(config.Latents);
        _sae = new DeviceSae(kernels, new SaeShape(d, own));
        weights = weights with { MinActivation = config.MinActivation };
        _sae.Load(Divided ? LatentShard.Slice(weights, _ownStart, own) : weights);
        DeviceTables? deviceTables = null;
        if (!Layout.IsEmpty)
        {
            if (tables is null || tables.Values.Length != (long)Layout.TotalRows * d)
                throw new BadInputException("the checkpoint's tables do not match --tables");
            deviceTables = new DeviceTables(kernels, Layout, d, config.Batch,
                Layout.Tables.Select(t => t.Hashed ? config.HashedTableLearningRate : config.TableLearningRate).ToArray());
            deviceTables.Load(tables);
        }
        DevicePool? devicePool = null;
        if (pool is not null)
        {
            if (start is not null) throw new InvalidOperationException("a pooled layer is not resumed mid-layer; the suite restarts the layer");
            devicePool = new DevicePool(kernels, pool.Rows, d, pool.Active, config.Batch, pool.LearningRate);
            devicePool.Load(pool.Values);
        }
        _known = new KnownInputs(store, config.Batch, Layout, pool);
        _step = new TrainingStep(_sae, config.Batch, config.K, config.AuxK, config.AuxCoefficient,
            (int)Math.Min(int.MaxValue, config.DeadTokens), new KnownPart(kernels, config.Batch, d, deviceTables, devicePool, config.SubtractTables),
            config.Latents);
        if (partition is not null) _step.Partition = partition;
        _stream = new ShuffledRows(store, config.Layer, config.Seed, rows, config.ShuffleBuffer);
        _x = new float[(long)config.Batch * d];
        _rowIds = new long[config.Batch];
        if (start is not null) Restore(start.State);
        else if (OwnLatentsStart > 0) SetOwnBias(SilentBias);
        Schedule = new LearningRateSchedule(config.LearningRate, config.WarmupSteps, config.TotalSteps, config.DecayFraction);
    }

    /// <summary>While own latents are silenced their encoder bias sits this low, so no pre-activation passes the ReLU.</summary>
    private const float SilentBias = -1e4f;

    /// <summary>The step at which the own latents join (after the known-part warm-up; 0 without one).</summary>
    public long OwnLatentsStart => _step.Known.IsEmpty ? 0 : (long)(Config.KnownWarmupFraction * Config.TotalSteps);

    public ResolvedTrainConfig Config { get; }
    public TableLayout Layout { get; }
    public LearningRateSchedule Schedule { get; }
    public long Step => _step.Step;
    public bool Finished => _step.Step >= Config.TotalSteps;
    public TrainingProgress? Last { get; private set; }

    /// <summary>Runs steps until the run is finished or <paramref name="maxSteps"/> more have been done.</summary>
    public TrainingProgress Run(long maxSteps = long.MaxValue, Action<TrainingProgress>? onProgress = null,
        Action<Trainer>? onCheckpoint = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        long tokensAtStart = _tokensSeen;
        if (maxSteps < 1) throw new ArgumentOutOfRangeException(nameof(maxSteps), "at least one step");
        // Written so that maxSteps = long.MaxValue (run to the end) cannot overflow.
        long stop = maxSteps >= Config.TotalSteps - _step.Step ? Config.TotalSteps : _step.Step + maxSteps;
        while (_step.Step < stop)
        {
            cancel.ThrowIfCancellationRequested();
            int rows = (int)Math.Min(Config.Batch, Config.Tokens - _tokensSeen);
            _stream.Next(rows, _x, _rowIds);
            RowNorm.ApplyIf(Config.NormalizeTokens, _x, rows, _store.D);
            _step.Buffers.X.CopyFromHost(_x.AsSpan(0, rows * _store.D));
            _known.Upload(_rowIds, rows, _step.Known);
            _step.ComputeGradients(rows, _normalizer);
            float shape = Schedule.At(_step.Step + 1) / Schedule.Peak;
            _step.Update(Schedule.At(_step.Step + 1), shape);
            if (_step.Step == OwnLatentsStart) WakeOwnLatents();
            _tokensSeen += rows;
            bool last = _step.Step == stop;
            if (last || _step.Step % ReportEvery == 0)
            {
                Last = Measure(rows, clock.Elapsed, _tokensSeen - tokensAtStart);
                onProgress?.Invoke(Last);
            }
            if (onCheckpoint is not null && Config.CheckpointEvery > 0 && _step.Step % Config.CheckpointEvery == 0 && !Finished)
                onCheckpoint(this);
        }
        return Last ??= Measure(0, clock.Elapsed, 0);
    }

    /// <summary>The whole model's weights (latent-parallel: gathered from every rank, on every rank).</summary>
    public SaeWeights Weights() => Divided ? LatentShard.Gather(_sae.Read(), Config.Latents, _step.Partition) : _sae.Read();

    /// <summary>This process holds only some of the latents (latent-parallel).</summary>
    private bool Divided => _sae.Shape.Latents != Config.Latents;

    public TableWeights? Tables() => _step.Known.Tables?.Read();

    /// <summary>The pool's decoder rows as trained so far (null without a pool).</summary>
    public float[]? PoolValues() => _step.Known.Pool?.Read();

    public TrainerState State() => new(_step.Step, _tokensSeen, _stream.Cursor, _normalizer,
        Whole(_step.Moment1.ToArray()), Whole(_step.Moment2.ToArray()), _step.Partition.GatherLatents(_step.SinceFired.ToArray()),
        _step.Known.Tables?.Moment1!.ToArray(),
        _step.Known.Tables?.Moment2!.ToArray(), _step.Known.Tables?.RowSteps!.ToArray());

    /// <summary>The store rows a run trains on: all but the held-out sequences, less special tokens ([CLS], [SEP]) unless
    /// they are asked for.</summary>
    public static long[] TrainingRows(ActivationStore store, TrainSettings config) => StoreRows.Of(store, Split.Train, config.IncludeSpecialTokens);

    /// <summary>Current share of latents that have not fired for the dead-token window.</summary>
    public double DeadFraction => (double)_step.ReadDeadCount() / Config.Latents;

    public void Dispose()
    {
        _step.Dispose();
        _sae.Dispose();
    }

    /// <summary>A buffer in the parameter layout, of the whole model.</summary>
    private float[] Whole(float[] own) => Divided ? LatentShard.GatherLayout(own, _store.D, _sae.Shape.Latents, Config.Latents, _step.Partition) : own;

    private void SetOwnBias(float value)
    {
        var bias = new float[_sae.Shape.Latents];
        Array.Fill(bias, value);
        _sae.BEnc.CopyFromHost(bias);
    }

    /// <summary>End of the known-part warm-up: the own latents start from their initial encoder bias, with clean firing
    /// counters (their silence was imposed, not learned).</summary>
    private void WakeOwnLatents()
    {
        SetOwnBias(0);
        _step.SinceFired.Clear();
        _step.Dead.Clear();
        _step.DeadCount.Clear();
    }

    private void Restore(TrainerState state)
    {
        long length = new ParameterLayout(new SaeShape(_store.D, Config.Latents)).Length;
        if (state.Moment1.Length != length || state.Moment2.Length != length || state.SinceFired.Length != Config.Latents)
            throw new BadInputException(state.Source, "trainer state does not match the SAE's shape");
        CheckProgress(state, Config, _stream.EpochRows);
        int own = _sae.Shape.Latents;
        _step.Moment1.CopyFromHost(Divided ? LatentShard.SliceLayout(state.Moment1, _store.D, Config.Latents, _ownStart, own) : state.Moment1);
        _step.Moment2.CopyFromHost(Divided ? LatentShard.SliceLayout(state.Moment2, _store.D, Config.Latents, _ownStart, own) : state.Moment2);
        var sinceFired = state.SinceFired[_ownStart..(_ownStart + own)];
        _step.SinceFired.CopyFromHost(sinceFired);
        if (_step.Known.Tables is { } tables)
        {
            if (state.TableMoment1?.Length != tables.Values.Length || state.TableMoment2?.Length != tables.Values.Length
                || state.TableRowSteps?.Length != Layout.TotalRows)
                throw new BadInputException(state.Source, "trainer state does not match the tables");
            tables.Restore(state.TableMoment1, state.TableMoment2, state.TableRowSteps);
        }
        var dead = Array.ConvertAll(sinceFired, s => s >= Config.DeadTokens ? 1 : 0);
        _step.Dead.CopyFromHost(dead);
        _step.DeadCount.CopyFromHost([dead.Sum()]);
        _step.Step = state.Step;
        _tokensSeen = state.TokensSeen;
        _stream.Seek(state.Cursor);
    }

    /// <summary>The counters must describe a point of this run: every step reads a batch (the last one what is left of
    /// the budget) and every token read moves the stream's cursor by one row of this run's rows.</summary>
    public static void CheckProgress(TrainerState state, ResolvedTrainConfig config, long rows)
    {
        if (state.Step > config.TotalSteps)
            throw new BadInputException(state.Source, $"step {state.Step} is past the run's {config.TotalSteps} steps");
        if (state.TokensSeen != Math.Min(state.Step * config.Batch, config.Tokens))
            throw new BadInputException(state.Source, $"{state.TokensSeen} tokens seen do not match {state.Step} steps of {config.Batch}");
        var (epoch, position) = state.Cursor;
        if (position >= rows || epoch > state.TokensSeen / rows || epoch * rows + position != state.TokensSeen)
            throw new BadInputException(state.Source, $"stream cursor (epoch {epoch}, row {position}) does not match {state.TokensSeen} tokens " +
                $"over {rows} training rows (has the store changed?)");
    }

    private TrainingProgress Measure(int rows, TimeSpan elapsed, long tokensThisRun)
    {
        double loss = 0, nmse = 0, l0 = 0;
        if (rows > 0)
        {
            var error = _step.Buffers.RowError.Slice(0, rows).ToArray();
            var target = _step.Buffers.RowTarget.Slice(0, rows).ToArray();
            var values = _step.Buffers.For(rows).MainValue.ToArray();
            for (int b = 0; b < rows; b++)
            {
                loss += error[b];
                nmse += target[b] > 0 ? error[b] / target[b] : 0;
            }
            loss /= rows * (double)_normalizer;
            nmse /= rows;
            l0 = (double)values.Count(v => v > 0) / rows;
        }
        return new TrainingProgress(_step.Step, Config.TotalSteps, _tokensSeen, loss, nmse, l0, DeadFraction,
            tokensThisRun / Math.Max(1e-9, elapsed.TotalSeconds), elapsed, Precisions.Name(_sae.Kernels.Precision));
    }
}
