namespace Lexicon.Data;

/// <summary>The rows a run trains on or a measurement reads: a split's rows, less special tokens unless asked for.</summary>
public static class StoreRows
{
    public static long[] Of(ActivationStore store, Split split, bool includeSpecialTokens, long maxRows = long.MaxValue)
    {
        string manifest = Path.Combine(store.Directory, StoreManifest.FileName);
        if (store.TokenCount == 0) throw new BadInputException(manifest, "the store holds no tokens");
        if (split == Split.HeldOut && !store.HasHeldOut)
            throw new BadInputException(manifest, "the store holds no rows out (it was written without --heldout); --split all or train measures in-sample");
        var special = new HashSet<int>(includeSpecialTokens ? [] : store.Manifest.SpecialTokens);
        var rows = new List<long>();
        for (long i = 0; i < store.TokenCount && rows.Count < maxRows; i++)
            if ((split == Split.All || (split == Split.HeldOut) == store.IsHeldOut(i)) && !special.Contains(store.Tokens[i])) rows.Add(i);
        string what = split == Split.Train ? "to train on" : $"in the {split.Name()} split";
        if (rows.Count == 0)
            throw new BadInputException(manifest, special.Count > 0
                ? $"no rows left {what}: all its tokens are special tokens ({string.Join(", ", special)}); --include-special-tokens keeps them"
                : $"no rows left {what}");
        return [.. rows];
    }
}
