namespace Lexicon.Tests.Kernels;

/// <summary>Fresh random inputs for every run: the seed comes from LEXICON_TEST_SEED when set (to replay a failure)
/// and is otherwise new, and every assertion message carries it.</summary>
public sealed class TestRandom
{
    private static readonly int BaseSeed = int.TryParse(Environment.GetEnvironmentVariable("LEXICON_TEST_SEED"), out int s)
        ? s : Random.Shared.Next();

    private readonly Random _random;

    public TestRandom(int salt)
    {
        Seed = Mix(BaseSeed, salt);
        _random = new Random(Seed);
    }

    /// <summary>The first draw of the project's <see cref="Lexicon.Rng.Derive"/> stream for (base seed, salt): the same
    /// seed in every process, so LEXICON_TEST_SEED replays a failure (HashCode.Combine is randomised per process).</summary>
    public static int Mix(int baseSeed, int salt) => (int)(Lexicon.Rng.Derive(baseSeed, salt).NextUInt64() & int.MaxValue);

    public int Seed { get; }

    public string Replay => $"(LEXICON_TEST_SEED={BaseSeed})";

    public float[] Normal(int n, double scale = 1)
    {
        var result = new float[n];
        for (int i = 0; i < n; i++) result[i] = (float)(scale * Gaussian());
        return result;
    }

    public float[] Uniform(int n, double low, double high)
    {
        var result = new float[n];
        for (int i = 0; i < n; i++) result[i] = (float)(low + (high - low) * _random.NextDouble());
        return result;
    }

    public int Next(int maxExclusive) => _random.Next(maxExclusive);

    public double NextDouble() => _random.NextDouble();

    public double Gaussian()
    {
        double u = 1 - _random.NextDouble(), v = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>Unit-norm rows.</summary>
    public float[] UnitRows(int rows, int d)
    {
        var w = Normal(rows * d);
        for (int r = 0; r < rows; r++)
        {
            double norm = 0;
            for (int i = 0; i < d; i++) norm += (double)w[r * d + i] * w[r * d + i];
            norm = Math.Sqrt(norm);
            for (int i = 0; i < d; i++) w[r * d + i] = (float)(w[r * d + i] / norm);
        }
        return w;
    }
}
