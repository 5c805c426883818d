using Lexicon.Data;

namespace Lexicon.Metrics;

/// <summary>One layer's share of variance explained by per-key means of unigrams, bigrams and trigrams, and the
/// shrinkage chosen for each.</summary>
public sealed record NgramLayerShares(int Layer, double Unigram, double Bigram, double Trigram, double[] Kappa, long TrainTokens, long HeldOutTokens);

/// <summary>
/// How much of a layer's variance the current token and its predecessors explain, measured the honest way: per-key
/// mean activations come from the training split and are scored on a held-out split (the store's held-out sequences, or
/// every fifth sequence of a store without them) as
/// explained variance 1 − Σ‖x − x̂‖² / Σ‖x − x̄‖². An n-gram's mean is shrunk toward its (n−1)-gram's prediction,
/// x̂ = parent + c/(c + κ)·(mean − parent), because most n-grams are seen a few times and their raw means are mostly
/// the variance the key does not explain; κ is chosen per order on a validation split (another fifth of the
/// sequences), then the means are refit on all training sequences. A key that would reach across a sequence start,
/// or was never seen, backs off to the shorter key (the unigram to the global mean). A bigram share above the unigram
/// share says a bigram table would pay at that layer.
/// </summary>
public static class NgramShares
{
    private const int FoldCount = 5;
    private const int ValidationFold = 3;
    private const int HeldOutFold = 4;
    private static readonly double[] KappaGrid = [0, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000, double.PositiveInfinity];

    /// <param name="maxTokens">Measure on the store's first this many rows (its folds and held-out rows among them).</param>
    public static NgramLayerShares Measure(ActivationStore store, int layer, IProgress<double>? progress = null, long maxTokens = long.MaxValue)
    {
        int d = store.D;
        var fold = FoldOf(store, Math.Min(maxTokens, store.TokenCount));
        var means = new[] { new KeyMeans(d), new KeyMeans(d), new KeyMeans(d) };
        var global = new double[d];
        long globalCount = 0;

        void Accumulate(float[] row, long i)
        {
            for (int j = 0; j < d; j++) global[j] += row[j];
            globalCount++;
            for (int order = 1; order <= 3; order++)
                if (Key(store, i, order) is { } key) means[order - 1].Add(key, row);
        }

        // Fit on three folds, choose κ per order on the validation fold, then add it to the fit.
        Pass(store, layer, fold, f => f < ValidationFold, Accumulate, progress, 0, 0.3);
        var errors = new double[3, KappaGrid.Length];
        var mean = global.Select(g => g / globalCount).ToArray();
        Pass(store, layer, fold, f => f == ValidationFold, (row, i) =>
        {
            var parent = mean;
            for (int order = 1; order <= 3; order++)
            {
                var key = Key(store, i, order);
                for (int g = 0; g < KappaGrid.Length; g++)
                    errors[order - 1, g] += SquaredError(row, key is { } k ? means[order - 1].Predict(k, parent, KappaGrid[g]) : parent);
                if (key is { } chosen) parent = means[order - 1].Predict(chosen, parent, means[order - 1].Kappa = Best(errors, order - 1));
            }
        }, progress, 0.3, 0.5);
        for (int order = 0; order < 3; order++) means[order].Kappa = Best(errors, order);
        Pass(store, layer, fold, f => f == ValidationFold, Accumulate, progress, 0.5, 0.7);

        mean = global.Select(g => g / globalCount).ToArray();
        var heldOutErrors = new double[3];
        var sum = new double[d];
        double sumSquares = 0;
        long heldOut = 0;
        Pass(store, layer, fold, f => f == HeldOutFold, (row, i) =>
        {
            heldOut++;
            for (int j = 0; j < d; j++)
            {
                sum[j] += row[j];
                sumSquares += (double)row[j] * row[j];
            }
            var prediction = mean;
            for (int order = 1; order <= 3; order++)
            {
                if (Key(store, i, order) is { } key) prediction = means[order - 1].Predict(key, prediction, means[order - 1].Kappa);
                heldOutErrors[order - 1] += SquaredError(row, prediction);
            }
        }, progress, 0.7, 1.0);
        if (heldOut < 2)
            throw new BadInputException(Path.Combine(store.Directory, StoreManifest.FileName),
                $"--tokens {fold.Length}: fewer than two held-out rows among them to score on (give more tokens)");
        double variance = sumSquares - sum.Sum(s => s * s) / Math.Max(1, heldOut);
        double Share(double error) => variance > 0 ? 1 - error / variance : double.NaN;
        return new NgramLayerShares(layer, Share(heldOutErrors[0]), Share(heldOutErrors[1]), Share(heldOutErrors[2]),
            means.Select(m => m.Kappa).ToArray(), globalCount, heldOut);
    }

    /// <summary>The κ of the grid with the least validation error for an order: the one the predictions of the
    /// following orders build on.</summary>
    private static double Best(double[,] errors, int order)
    {
        int best = 0;
        for (int g = 1; g < KappaGrid.Length; g++)
            if (errors[order, g] < errors[order, best]) best = g;
        return KappaGrid[best];
    }

    private static double SquaredError(ReadOnlySpan<float> row, double[] prediction)
    {
        double error = 0;
        for (int j = 0; j < row.Length; j++) error += (row[j] - prediction[j]) * (row[j] - prediction[j]);
        return error;
    }

    /// <summary>Calls visit(row, index) for the rows whose sequence's fold passes the filter, in store order.</summary>
    private static void Pass(ActivationStore store, int layer, int[] fold, Func<int, bool> include, Action<float[], long> visit,
        IProgress<double>? progress, double from, double to)
    {
        const int block = 4096;
        int d = store.D;
        long n = fold.Length;
        var x = new float[block * d];
        var row = new float[d];
        for (long first = 0; first < n; first += block)
        {
            int rows = (int)Math.Min(block, n - first);
            store.ReadRows(layer, first, rows, x);
            for (int b = 0; b < rows; b++)
            {
                if (!include(fold[first + b])) continue;
                Array.Copy(x, b * d, row, 0, d);
                visit(row, first + b);
            }
            progress?.Report(from + (to - from) * (first + rows) / n);
        }
    }

    /// <summary>The fold of each row. A store with a held-out part scores on it, and deals its other sequences to the fit
    /// and validation folds in turn; a store without one deals all its sequences to the five folds.</summary>
    private static int[] FoldOf(ActivationStore store, long rows)
    {
        var positions = store.Positions[..(int)rows];
        var fold = new int[positions.Length];
        int folds = store.HasHeldOut ? HeldOutFold : FoldCount;
        long sequence = -1;
        for (int i = 0; i < positions.Length; i++)
        {
            bool heldOut = store.IsHeldOut(i);
            if (positions[i] == 0 && !heldOut) sequence++;
            fold[i] = heldOut ? HeldOutFold : (int)(sequence % folds);
        }
        return fold;
    }

    /// <summary>The n-gram ending at row i, or null if it would reach across a sequence start.</summary>
    private static (int, int, int)? Key(ActivationStore store, long i, int order)
    {
        var tokens = store.Tokens;
        if (store.Positions[i] < order - 1) return null;
        return order switch
        {
            1 => (tokens[i], -1, -1),
            2 => (tokens[i - 1], tokens[i], -1),
            _ => (tokens[i - 2], tokens[i - 1], tokens[i]),
        };
    }

    /// <summary>Running sums and counts per key, and the shrinkage of their means toward a parent prediction.</summary>
    private sealed class KeyMeans(int d)
    {
        private readonly Dictionary<(int, int, int), int> _index = [];
        private readonly List<double[]> _sums = [];
        private readonly List<int> _counts = [];

        /// <summary>κ: the count at which a key's own mean and its parent's prediction weigh the same.</summary>
        public double Kappa { get; set; } = double.PositiveInfinity;

        public void Add((int, int, int) key, ReadOnlySpan<float> row)
        {
            if (!_index.TryGetValue(key, out int k))
            {
                _index[key] = k = _sums.Count;
                _sums.Add(new double[d]);
                _counts.Add(0);
            }
            var sum = _sums[k];
            for (int j = 0; j < d; j++) sum[j] += row[j];
            _counts[k]++;
        }

        /// <summary>parent + c/(c + κ)·(mean − parent) for a seen key; the parent's prediction otherwise.</summary>
        public double[] Predict((int, int, int) key, double[] parent, double kappa)
        {
            if (!_index.TryGetValue(key, out int k) || double.IsPositiveInfinity(kappa)) return parent;
            double weight = _counts[k] / (_counts[k] + kappa);
            var prediction = new double[d];
            for (int j = 0; j < d; j++) prediction[j] = parent[j] + weight * (_sums[k][j] / _counts[k] - parent[j]);
            return prediction;
        }
    }
}
