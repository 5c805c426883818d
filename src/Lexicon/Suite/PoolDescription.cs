namespace Lexicon.Suite;

/// <summary>A suite layer's pool as its lexicon.json describes it ("pool"): rows, rows active, the pruning threshold and
/// criterion (--pool-min-norm, --pool-death), and per source its size and how many of its features were pruned at this layer.</summary>
public sealed record PoolDescription(int Rows, int Active, float MinNorm, string Death, IReadOnlyList<PooledSource> Sources);

public sealed record PooledSource(string Name, int BirthLayer, int Latents, int K, int PrunedHere);
