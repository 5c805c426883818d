namespace Lexicon.Data;

/// <summary>Where a <see cref="ShuffledRows"/> stream stands: the epoch and the number of rows already emitted in it.
/// Saved in checkpoints, so a resumed run reads exactly the rows the uninterrupted one would have.</summary>
public readonly record struct StreamCursor(long Epoch, long Position);
