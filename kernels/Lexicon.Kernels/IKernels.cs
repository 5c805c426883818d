namespace Lexicon.Kernels;

/// <summary>
/// Every numeric operation of a TopK SAE training step, as one backend runs it: the SAE itself, the lookup tables of a
/// tokenized SAE and the feature pool of the recursive suite. Matrices are row-major; <c>rows</c> is the batch (B),
/// <c>d</c> the model width, <c>latents</c> the SAE width (M). Encoder and decoder weights are both stored latent-major,
/// <c>[latents, d]</c>, so a latent's row is contiguous in both (the checkpoint writer transposes W_enc into SAELens'
/// <c>[d_in, d_sae]</c>). An index of -1 in a selection marks an empty slot (value 0); every consumer skips it.
/// Each operation's argument rules and cost model are written once, in <c>Ops/</c> beside its reference; every backend
/// implements every operation and checks its arguments there.
/// </summary>
public interface IKernels : IDisposable
{
    string Name { get; }

    /// <summary>The encoder GEMM's input precision (<see cref="EncoderGemm"/>, <see cref="EncodeTopK"/>); fp32 but where a
    /// backend was made with another.</summary>
    Precision Precision { get; }

    /// <summary>Zero-filled memory on this backend.</summary>
    DeviceArray<T> Allocate<T>(long length) where T : unmanaged;

    /// <summary>Blocks until queued work is done (a no-op on synchronous backends).</summary>
    void Synchronize();

    // The encoder.

    /// <summary>xc[b] = x[b] − bDec.</summary>
    void Center(View<float> x, View<float> bDec, View<float> xc, int rows, int d);

    /// <summary>pre[b, m] = ReLU(xc[b] · wEnc[m] + bEnc[m]): the only dense term of a step.</summary>
    void EncoderGemm(View<float> xc, View<float> wEnc, View<float> bEnc, View<float> pre, int rows, int d, int latents);

    /// <summary>Per row, the k largest of pre[b, ·] in descending order (ties: lower latent first).</summary>
    void TopK(View<float> pre, int rows, int latents, int k, View<int> index, View<float> value);

    /// <summary><see cref="EncoderGemm"/> then <see cref="TopK"/> of its output in one call: the top values and indices,
    /// and the pre-activations AuxK selects from. A backend may fuse the two (the CPU's GEMM epilogue leaves what its
    /// top-k needs, as scratch of this call); results are those of the two steps.</summary>
    void EncodeTopK(View<float> xc, View<float> wEnc, View<float> bEnc, View<float> pre, int rows, int d, int latents,
        int k, View<int> index, View<float> value);

    /// <summary>value[i] = value[i] ≥ floor ? value[i] : 0 over n selected values: a latent fires only at an activation
    /// of at least the floor (<c>--min-activation</c>); a zeroed entry is a slot that did not fire.</summary>
    void ActivationFloor(View<float> value, long n, float floor);

    /// <summary>Per row, the k largest of pre[b, m] over latents with mask[m] ≠ 0 (AuxK over dead latents);
    /// slots beyond the number of such latents get index -1 and value 0.</summary>
    void MaskedTopK(View<float> pre, View<int> mask, int rows, int latents, int k, View<int> index, View<float> value);

    // The decoder and the loss.

    /// <summary>output[b] = bias + Σ_j value[b, j] · w[index[b, j]]; an empty bias view means zero. Accumulates in fp32.</summary>
    void SparseDecode(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> bias, View<float> output, int d);

    /// <summary>residual = predicted − target; grad = gradScale · residual; per row ‖residual‖² into rowError and
    /// ‖target‖² into rowTarget (an empty view skips it). Used for the main loss and, with the detached residual
    /// as target, for AuxK.</summary>
    void Residual(View<float> predicted, View<float> target, int rows, int d, float gradScale,
        View<float> residual, View<float> grad, View<float> rowError, View<float> rowTarget);

    // The sparse backward.

    /// <summary>gAct[b, j] = value[b, j] &gt; 0 ? w[index[b, j]] · grad[b] : 0 — the gradient reaching a selected
    /// pre-activation (ReLU and top-k pass it only where the latent fired).</summary>
    void LatentGrad(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> grad, int d, View<float> gAct);

    /// <summary>Counting sort of entries by the row each selects (a latent, a table row, a pool row): after it, entries
    /// order[start[r] .. start[r+1]) (ids into index, in increasing order) are those of row r. Empty slots are left out.</summary>
    void GroupByRow(View<int> index, int count, int rowCount, View<int> start, View<int> order);

    /// <summary>The sparse weight gradients, one latent at a time and without atomics. Entries e &lt; rows·k are the
    /// main selection (token e / k, decoder gradient source grad), the rest AuxK (token (e − rows·k) / kAux, source
    /// auxGrad). dWDec[m] = Σ value_e·source[b_e]; dWEnc[m] = Σ gAct_e·xc[b_e]; dBEnc[m] = Σ gAct_e. Latents
    /// without entries get zero rows.</summary>
    void SparseWeightGrads(View<int> start, View<int> order, View<float> value, View<float> gAct, int rows, int k, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, int d, int latents,
        View<float> dWEnc, View<float> dBEnc, View<float> dWDec);

    /// <summary><see cref="LatentGrad"/> for every entry (main and AuxK: gAct_e = value_e &gt; 0 ? wDec[index_e] ·
    /// source[b_e] : 0, empty slots 0), then <see cref="SparseWeightGrads"/> from it, in one call over the entries grouped
    /// by latent (start, order as GroupByRow gives them for index): the same results, gAct included, with each gathered
    /// gradient row read once for both where a backend fuses them.</summary>
    void SparseGrads(View<int> index, View<int> start, View<int> order, View<float> value, int rows, int k, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, View<float> wDec, int d, int latents,
        View<float> gAct, View<float> dWEnc, View<float> dBEnc, View<float> dWDec);

    /// <summary>dBDec = Σ_b grad[b] − Σ_m dBEnc[m] · wEnc[m] (the decoder bias reaches the loss directly and through
    /// the encoder's input x − b_dec).</summary>
    void DecoderBiasGrad(View<float> grad, int rows, View<float> wEnc, View<float> dBEnc, int latents, int d, View<float> dBDec);

    // The optimiser and the decoder's unit sphere.

    /// <summary>grad[m] −= (grad[m] · w[m]) w[m]: keeps unit-norm decoder rows from being pushed off the sphere.</summary>
    void RemoveParallelGrad(View<float> w, View<float> grad, int rowCount, int d);

    /// <summary>w[m] /= ‖w[m]‖ (rows of zero norm are left alone).</summary>
    void NormalizeRows(View<float> w, int rowCount, int d);

    /// <summary>The decoder's update, row by row: <see cref="RemoveParallelGrad"/>, <see cref="Adam"/> and
    /// <see cref="NormalizeRows"/> on w's rows, with their results bit for bit (grad is left with its parallel part
    /// removed), in one pass where the backend can.</summary>
    void DecoderAdam(View<float> w, View<float> grad, View<float> moment1, View<float> moment2, int rowCount, int d, in AdamStep step);

    /// <summary>One Adam update of every element of param.</summary>
    void Adam(View<float> param, View<float> grad, View<float> moment1, View<float> moment2, in AdamStep step);

    /// <summary>Lazy Adam on the touched rows of a [rows, d] matrix (a lookup table's or the pool's), as
    /// <see cref="TableGrads"/> and <see cref="PoolGrads"/> list them: moments of other rows neither decay nor move,
    /// each row counts its own steps in rowSteps for the bias corrections and learns at its table's rate.</summary>
    void SparseAdam(View<float> table, View<float> moment1, View<float> moment2, View<int> rowSteps, View<int> touched, View<float> rowGrads,
        View<int> touchedCount, int d, TableAdam settings);

    /// <summary>y += alpha·x over n elements.</summary>
    void AddScaled(View<float> x, float alpha, View<float> y, long n);

    /// <summary>Per latent, tokens since it last fired (value &gt; 0): +rows for all, 0 where it fired in this batch
    /// (saturating). Then dead[m] = sinceFired[m] ≥ deadAfter ? 1 : 0, and deadCount[0] = Σ dead.</summary>
    void UpdateDeadLatents(View<int> index, View<float> value, int rows, int k, int latents,
        View<int> sinceFired, int deadAfter, View<int> dead, View<int> deadCount);

    // Lookup tables: rows chosen by token keys, added to the reconstruction (and optionally removed from the encoder's
    // input). All tables of a model live in one [totalRows, d] buffer; a batch's selected rows are a [rows, slots] index
    // matrix (one slot per exact table, two per hashed table; -1 marks no row, e.g. a key that would cross a sequence start).

    /// <summary>Rows of one table for each token's key (keys [rows, keyLength], a key with any -1 is invalid).
    /// Exact tables (hashes = 1, keyLength = 1): row = rowOffset + key. Hashed tables (hashes = 2): slot s gets
    /// rowOffset + Hash(key, seed, s) mod tableRows. Writes rows[b, column + s] of a [rows, stride] matrix.</summary>
    void TableRows(View<int> keys, int rows, int keyLength, int hashes, int tableRows, int rowOffset, uint seed,
        View<int> output, int stride, int column);

    /// <summary>output[b] = Σ_s table[rowIndex[b, s]] over the slots that hold a row.</summary>
    void TableGather(View<int> rowIndex, int rows, int slots, View<float> table, int d, View<float> output);

    /// <summary>Per touched table row (ascending), the sum of scale·source[b] over the (b, s) entries that selected it,
    /// from the entries grouped by row (start/order as <see cref="GroupByRow"/> builds them over the flattened
    /// rowIndex). touched[u] = the u-th touched row, rowGrads[u] its gradient, touchedCount[0] = u's count.</summary>
    void TableGrads(View<int> start, View<int> order, View<int> rowIndex, int slots, int totalRows, View<float> source, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount);

    // The feature pool: features born at earlier layers, each with a per-layer decoder row. A token's active pool
    // features come as a sparse selection ([rows, active] index and value, computed by the encoders of the layers where
    // the features were born, so constants here; index -1 is an empty slot). Pool rows are not norm-constrained.

    /// <summary>output[b] += Σ_j value[b, j] · pool[index[b, j]].</summary>
    void PoolDecode(View<int> index, View<float> value, int rows, int active, View<float> pool, int d, View<float> output);

    /// <summary>Per touched pool row (ascending), Σ scale · value_e · grad[b_e] over the entries that selected it, from
    /// the entries grouped by row (start/order as <see cref="GroupByRow"/> builds them over the flattened index):
    /// touched[u], rowGrads[u], touchedCount[0] as for <see cref="TableGrads"/>.</summary>
    void PoolGrads(View<int> start, View<int> order, View<int> index, View<float> value, int active, int poolRows, View<float> grad, float scale, int d,
        View<int> touched, View<float> rowGrads, View<int> touchedCount);
}
