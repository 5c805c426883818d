using Lexicon.Data;

namespace Lexicon.Metrics;

/// <summary>
/// The rows a measurement reads, and whether they are out of sample. On the store a model was trained on, the default is
/// its held-out sequences (all rows, flagged in-sample, where the store holds none out); on another store, every row.
/// </summary>
public sealed record MeasuredRows(Split Split, long[] Rows, bool OwnStore)
{
    /// <summary>Whether the model trained on these rows: true on its own store unless they are the held-out ones.</summary>
    public bool InSample => OwnStore && Split != Split.HeldOut;

    /// <param name="trainedOn">The identity of the store the model was trained on (null when unknown: taken as this store).</param>
    /// <param name="requested">--split, or null for the default.</param>
    public static MeasuredRows Choose(ActivationStore store, string? trainedOn, string? requested, bool includeSpecialTokens,
        long maxRows = long.MaxValue)
    {
        bool own = trainedOn is null || trainedOn == store.Identity;
        var split = requested is not null ? Splits.Parse(requested, "--split")
            : own && store.HasHeldOut ? Split.HeldOut
            : Split.All;
        return new MeasuredRows(split, StoreRows.Of(store, split, includeSpecialTokens, maxRows), own);
    }

    /// <summary>A line for stderr when the numbers are in-sample, else null.</summary>
    public string? Warning(string store) => InSample
        ? $"lexicon: warning: measuring on rows the model trained on ({Split.Name()} split of {store}); these numbers are in-sample"
        : null;
}
