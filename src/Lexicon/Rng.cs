namespace Lexicon;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a small generator whose whole state is four words, so a run can save and
/// restore it exactly (System.Random's state is not exposed). Streams for independent purposes are derived from a
/// seed and a purpose tag with <see cref="Derive"/>, so adding a consumer never shifts another's numbers.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;

    public Rng(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private Rng(ulong[] state) => (_s0, _s1, _s2, _s3) = (state[0], state[1], state[2], state[3]);

    /// <summary>A generator for one purpose of one run: seed and tags hashed together.</summary>
    public static Rng Derive(long seed, params long[] tags)
    {
        ulong x = (ulong)seed ^ 0x9E3779B97F4A7C15UL;
        ulong h = SplitMix(ref x);
        foreach (long tag in tags)
        {
            x = h ^ (ulong)tag * 0xBF58476D1CE4E5B9UL;
            h = SplitMix(ref x);
        }
        return new Rng(h);
    }

    public ulong[] State => [_s0, _s1, _s2, _s3];

    public static Rng FromState(ulong[] state) =>
        state.Length == 4 ? new Rng(state) : throw new ArgumentException("an Rng state is four words");

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n), without modulo bias.</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        return (int)NextLong(n);
    }

    public long NextLong(long n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        ulong limit = ulong.MaxValue - ulong.MaxValue % (ulong)n;
        ulong r;
        do r = NextUInt64(); while (r >= limit);
        return (long)(r % (ulong)n);
    }

    /// <summary>Standard normal (Box–Muller, one value per call for simplicity of state).</summary>
    public double NextGaussian()
    {
        double u = 1 - NextDouble(), v = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>Exponential with rate 1.</summary>
    public double NextExponential() => -Math.Log(1 - NextDouble());

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
