namespace Lexicon.Kernels;

/// <summary>
/// The hard-coded lookup path of a tokenized SAE: rows of lookup tables chosen by token keys, added to the
/// reconstruction (and optionally removed from the encoder's input), with sparse, row-grouped gradients and lazy Adam.
/// All tables of a model live in one [totalRows, d] buffer; a batch's selected rows are a [rows, slots] index matrix
/// (one slot per exact table, two per hashed table; -1 marks no row, e.g. a key that would cross a sequence start).
/// </summary>
public interface ITableKernels
{
    /// <summary>y += alpha·x over n elements.</summary>
    void AddScaled(View<float> x, float alpha, View<float> y, long n);

    /// <summary>Rows of one table for each token's key (keys [rows, keyLength], a key with any -1 is invalid).
    /// Exact tables (hashes = 1, keyLength = 1): row = rowOffset + key. Hashed tables (hashes = 2): slot s gets
    /// rowOffset + Hash(key, seed, s) mod tableRows. Writes rows[b, column + s] of a [rows, stride] matrix.</summary>
    void TableRows(View<int> keys, int rows, int keyLength, int hashes, int tableRows, int rowOffset, uint seed,
        View<int> output, int stride, int column);

    /// <summary>output[b] = Σ_s table[rowIndex[b, s]] over the slots that hold a row.</summary>
    void TableGather(View<int> rowIndex, int rows, int slots, View<float> table, int d, View<float> output);

    /// <summary>Per touched table row (ascending), the sum of scale·source[b] over the (b, s) entries that selected it,
    /// from the entries grouped by row (start/order as <see cref="IKernels.GroupByLatent"/> builds them over the
    /// flattened rowIndex). touched[u] = the u-th touched row, rowGrads[u] its gradient, touchedCount[0] = u's count.</summary>
    void TableGrads(View<int> start, View<int> order, View<int> rowIndex, int slots, int totalRows, View<float> source, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount);

    /// <summary>Lazy Adam: the Adam update applied only to the touched rows (moments of other rows neither decay nor move),
    /// each row counting its own steps in rowSteps for the bias corrections and learning at its table's rate.</summary>
    void SparseAdam(View<float> table, View<float> moment1, View<float> moment2, View<int> rowSteps, View<int> touched, View<float> rowGrads,
        View<int> touchedCount, int d, TableAdam settings);
}
