using Lexicon.Output;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Data.Formats;
using Lexicon.Model;
using Lexicon.Tests.Support;
using Lexicon.Training;

namespace Lexicon.Tests.Checkpoints;

public sealed class CheckpointTests
{
    [Fact]
    public void Round_trip_keeps_weights_config_and_state_and_writes_the_SAELens_layout()
    {
        using var scratch = new Scratch();
        var rng = Rng.Derive(5, 5);
        var shape = new SaeShape(3, 5);
        var weights = SaeWeights.Zeros(shape);
        foreach (var tensor in new[] { weights.WEnc, weights.BEnc, weights.WDec, weights.BDec })
            for (int i = 0; i < tensor.Length; i++) tensor[i] = (float)rng.NextGaussian();
        long length = new ParameterLayout(shape).Length;
        var state = new TrainerState(17, 17 * 64, new StreamCursor(2, 9), 1.25f,
            Enumerable.Range(0, (int)length).Select(i => i * 0.5f).ToArray(), Enumerable.Range(0, (int)length).Select(i => i * 0.25f).ToArray(), [0, 1, 2, 3, 4]);
        var config = new TrainConfig { Data = "/data", Layer = 2, Latents = 5, K = 2 }.Resolve(3, 1000);

        Checkpoint.Write(scratch["S"], new CheckpointContent(config, weights) { State = state });
        var loaded = Checkpoint.Load(scratch["S"]);

        Assert.Equal(weights.WEnc, loaded.Weights.WEnc);
        Assert.Equal(weights.BEnc, loaded.Weights.BEnc);
        Assert.Equal(weights.WDec, loaded.Weights.WDec);
        Assert.Equal(weights.BDec, loaded.Weights.BDec);
        Assert.Equal(config, loaded.Config);
        Assert.Equal(state.Cursor, loaded.State!.Cursor);
        Assert.Equal((state.Step, state.TokensSeen, state.Normalizer), (loaded.State.Step, loaded.State.TokensSeen, loaded.State.Normalizer));
        Assert.Equal(state.Moment1, loaded.State.Moment1);
        Assert.Equal(state.Moment2, loaded.State.Moment2);
        Assert.Equal(state.SinceFired, loaded.State.SinceFired);

        // SAELens: W_enc is [d_in, d_sae] (ours is latent-major), W_dec [d_sae, d_in].
        using var file = SafeTensorsFile.Open(Path.Combine(scratch["S"], Checkpoint.WeightsFile));
        Assert.Equal([3L, 5L], file.Get("W_enc").Shape);
        Assert.Equal([5L, 3L], file.Get("W_dec").Shape);
        var wEnc = file.ReadFloats("W_enc");
        for (int m = 0; m < 5; m++)
            for (int i = 0; i < 3; i++) Assert.Equal(weights.WEnc[m * 3 + i], wEnc[i * 5 + m]);
        var cfg = SaeLensConfig.Read(scratch["S"]);
        Assert.Equal((3, 5, 2), (cfg.DIn, cfg.DSae, cfg.K));
    }

    [Fact]
    public void Round_trip_with_tables_keeps_every_table_and_its_optimiser_state()
    {
        using var scratch = new Scratch();
        var rng = Rng.Derive(6, 6);
        var shape = new SaeShape(4, 6);
        var weights = SaeWeights.Zeros(shape);
        var layout = new TableLayout(TableSpec.Parse("unigram;bigram;-1,0,1", 9, 5));
        var tables = TableWeights.Zeros(layout, 4);
        for (int i = 0; i < tables.Values.Length; i++) tables.Values[i] = (float)rng.NextGaussian();
        long length = new ParameterLayout(shape).Length;
        var tableMoments = Enumerable.Range(0, tables.Values.Length).Select(i => i * 0.125f).ToArray();
        var rowSteps = Enumerable.Range(0, layout.TotalRows).Select(i => i % 3).ToArray();
        var state = new TrainerState(3, 30, new StreamCursor(0, 30), 2f, new float[length], new float[length], new int[6],
            tableMoments, tableMoments.Reverse().ToArray(), rowSteps);
        var config = new TrainConfig { Data = "/data", Latents = 6, K = 2, Tables = "unigram;bigram;-1,0,1", TableRows = 5 }.Resolve(4, 100);

        Checkpoint.Write(scratch["S"], new CheckpointContent(config, weights) { State = state, Tables = tables });
        var loaded = Checkpoint.Load(scratch["S"]);

        Assert.NotNull(loaded.Tables);
        Assert.Equal(layout.Tables.Select(t => (t.Name, t.Rows, t.Seed)), loaded.Tables!.Layout.Tables.Select(t => (t.Name, t.Rows, t.Seed)));
        Assert.Equal(layout.Tables.Select(t => t.Offsets), loaded.Tables.Layout.Tables.Select(t => t.Offsets));
        Assert.Equal(tables.Values, loaded.Tables.Values);
        Assert.Equal(state.TableMoment1, loaded.State!.TableMoment1);
        Assert.Equal(state.TableMoment2, loaded.State.TableMoment2);
        Assert.Equal(state.TableRowSteps, loaded.State.TableRowSteps);
        using var file = SafeTensorsFile.Open(Path.Combine(scratch["S"], Checkpoint.TablesFile));
        Assert.Equal([9L, 4L], file.Get("table.unigram").Shape);
        Assert.Equal([5L, 4L], file.Get("table.bigram").Shape);
        Assert.Equal([5L, 4L], file.Get("table.offsets_-1_0_1").Shape);
    }
}
