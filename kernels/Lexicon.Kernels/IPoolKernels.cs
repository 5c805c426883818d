namespace Lexicon.Kernels;

/// <summary>
/// The feature pool of the recursive suite: features born at earlier layers, each with a per-layer decoder row. A
/// token's active pool features come as a sparse selection ([rows, active] index and value, computed by the encoders
/// of the layers where the features were born, so constants here; index -1 is an empty slot). Pool decoder rows are
/// not norm-constrained: their norm is how strongly the feature is still present.
/// </summary>
public interface IPoolKernels
{
    /// <summary>output[b] += Σ_j value[b, j] · pool[index[b, j]].</summary>
    void PoolDecode(View<int> index, View<float> value, int rows, int active, View<float> pool, int d, View<float> output);

    /// <summary>Per touched pool row (ascending), Σ scale · value_e · grad[b_e] over the entries that selected it, from the entries
    /// grouped by row (start/order as <see cref="IKernels.GroupByLatent"/> builds them over the flattened index):
    /// touched[u], rowGrads[u], touchedCount[0] as for <see cref="ITableKernels.TableGrads"/>.</summary>
    void PoolGrads(View<int> start, View<int> order, View<int> index, View<float> value, int active, int poolRows, View<float> grad, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount);
}
