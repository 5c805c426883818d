namespace Lexicon.Synthetic;

/// <summary>
/// Where each feature fires, in token order, block by block. Instead of a Bernoulli draw per token per feature, each
/// feature jumps to its next firing by a geometric skip (one exponential draw per firing), so the cost is the number
/// of firings, not tokens × features. Each feature has its own stream, so firings do not depend on block size.
/// </summary>
internal sealed class FiringSampler
{
    private readonly Rng[] _rngs;
    private readonly double[] _skipScale;
    private readonly long[] _next;

    public FiringSampler(PlantedWorld world)
    {
        SynthOptions o = world.Options;
        _rngs = new Rng[o.Features];
        _skipScale = new double[o.Features];
        _next = new long[o.Features];
        for (int f = 0; f < o.Features; f++)
        {
            _rngs[f] = Rng.Derive(o.Seed, StreamTag.Firings, f);
            // P(skip > k) = (1 − p)^k: the skip is 1 + ⌊E / −ln(1 − p)⌋ for E ~ Exp(1); p = 1 gives 1 every time.
            _skipScale[f] = -1 / Math.Log(1 - (double)world.Probability[f]);
            _next[f] = Skip(f) - 1;
        }
    }

    /// <summary>Appends the firings at token indices [start, start + count), feature by feature; Row is relative to start.</summary>
    public void Collect(long start, int count, List<Firing> firings)
    {
        long end = start + count;
        for (int f = 0; f < _next.Length; f++)
        {
            for (; _next[f] < end; _next[f] += Skip(f))
                firings.Add(new Firing((int)(_next[f] - start), f, (float)(0.5 + _rngs[f].NextExponential())));
        }
    }

    /// <summary>Capped so that a tiny probability cannot overflow the position.</summary>
    private long Skip(int f) => 1 + (long)Math.Min(_rngs[f].NextExponential() * _skipScale[f], int.MaxValue);
}
