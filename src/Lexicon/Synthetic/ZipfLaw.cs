namespace Lexicon.Synthetic;

/// <summary>The unigram law over token ids: P(id) ∝ 1/(id+1)^s, so id 0 is the most frequent. Sampled by binary
/// search in the cumulative weights (one uniform draw per sample).</summary>
internal sealed class ZipfLaw
{
    private readonly double[] _cumulative;

    public ZipfLaw(int size, double exponent)
    {
        _cumulative = new double[size];
        double total = 0;
        for (int id = 0; id < size; id++)
            _cumulative[id] = total += Math.Pow(id + 1, -exponent);
    }

    public int Sample(Rng rng)
    {
        double u = rng.NextDouble() * _cumulative[^1];
        // The first id whose cumulative weight exceeds u.
        int lo = 0, hi = _cumulative.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_cumulative[mid] > u) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
