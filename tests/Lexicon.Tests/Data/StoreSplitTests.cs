using Lexicon.Data;
using Lexicon.Synthetic;
using Lexicon.Tests.Support;
using Lexicon.Training;

namespace Lexicon.Tests.Data;

/// <summary>The held-out split of a store: whole sequences, disjoint from what training reads, fixed by the manifest.</summary>
public sealed class StoreSplitTests
{
    private static string World(Scratch scratch, string name, double heldOut, long seed = 7, long tokens = 20_000)
    {
        SyntheticWorld.Generate(new SynthOptions { Layers = 1, DModel = 8, Vocab = 64, Tokens = tokens, Features = 8, Seed = seed, HeldOut = heldOut },
            scratch[name]);
        return scratch[name];
    }

    [Fact]
    public void Training_rows_and_held_out_rows_are_disjoint_whole_sequences_that_cover_the_store()
    {
        using var scratch = new Scratch();
        using var store = ActivationStore.Open(World(scratch, "W", 0.2));
        var train = Trainer.TrainingRows(store, new TrainConfig());
        var heldOut = StoreRows.Of(store, Split.HeldOut, includeSpecialTokens: false);
        Assert.Empty(train.Intersect(heldOut));
        Assert.Equal(store.TokenCount, train.Length + heldOut.Length);
        // Whole sequences: a row is held out exactly when its sequence's first row is.
        for (long i = 1; i < store.TokenCount; i++)
            if (store.Positions[i] != 0) Assert.Equal(store.IsHeldOut(i - 1), store.IsHeldOut(i));
        int sequences = store.Positions.Count(p => p == 0);
        Assert.Equal(StoreSplit.HeldOutCount(0.2, sequences), store.Manifest.HeldOut!.Sequences);
        Assert.Equal(heldOut.Length, store.Manifest.HeldOut.Tokens);
    }

    [Fact]
    public void The_training_stream_never_emits_a_held_out_row()
    {
        using var scratch = new Scratch();
        using var store = ActivationStore.Open(World(scratch, "W", 0.3));
        var rows = Trainer.TrainingRows(store, new TrainConfig());
        var stream = new ShuffledRows(store, 0, 1, rows, 1024);
        var x = new float[3 * rows.Length * store.D];
        var ids = new long[3 * rows.Length];
        stream.Next(ids.Length, x, ids);
        Assert.DoesNotContain(ids, store.IsHeldOut);
        Assert.Equal(rows.Length, ids.Distinct().Count());
    }

    [Fact]
    public void The_seed_chooses_the_held_out_sequences_and_a_zero_share_holds_none_out()
    {
        using var scratch = new Scratch();
        using var a = ActivationStore.Open(World(scratch, "A", 0.1, seed: 1));
        using var b = ActivationStore.Open(World(scratch, "B", 0.1, seed: 2));
        using var none = ActivationStore.Open(World(scratch, "N", 0));
        Assert.NotEqual(StoreRows.Of(a, Split.HeldOut, false), StoreRows.Of(b, Split.HeldOut, false));
        Assert.False(none.HasHeldOut);
        Assert.Null(none.Manifest.HeldOut);
        Assert.Equal(none.TokenCount, Trainer.TrainingRows(none, new TrainConfig()).Length);
        var error = Assert.Throws<BadInputException>(() => StoreRows.Of(none, Split.HeldOut, false));
        Assert.Contains("holds no rows out", error.Message);
    }

    [Fact]
    public void A_manifest_whose_held_out_counts_do_not_match_the_store_is_refused()
    {
        using var scratch = new Scratch();
        string store = World(scratch, "W", 0.1);
        string manifest = Path.Combine(store, StoreManifest.FileName);
        var text = File.ReadAllText(manifest);
        var split = StoreManifest.Read(store).HeldOut!;
        File.WriteAllText(manifest, text.Replace($"\"tokens\": {split.Tokens}", $"\"tokens\": {split.Tokens + 1}"));
        var error = Assert.Throws<BadInputException>(() => ActivationStore.Open(store));
        Assert.Contains("heldout", error.Message);
    }
}
