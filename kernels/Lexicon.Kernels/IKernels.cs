namespace Lexicon.Kernels;

/// <summary>
/// Every numeric operation of a TopK SAE training step, as one backend runs it. Matrices are row-major;
/// <c>rows</c> is the batch (B), <c>d</c> the model width, <c>latents</c> the SAE width (M).
/// Encoder and decoder weights are both stored latent-major, <c>[latents, d]</c>, so a latent's row is contiguous
/// in both (the checkpoint writer transposes W_enc into SAELens' <c>[d_in, d_sae]</c>).
/// An index of -1 in a selection marks an empty slot (value 0); every consumer skips it.
/// </summary>
public interface IKernels : IDisposable
{
    string Name { get; }

    /// <summary>Zero-filled memory on this backend.</summary>
    DeviceArray<T> Allocate<T>(long length) where T : unmanaged;

    /// <summary>Blocks until queued work is done (a no-op on synchronous backends).</summary>
    void Synchronize();

    /// <summary>xc[b] = x[b] − bDec.</summary>
    void Center(View<float> x, View<float> bDec, View<float> xc, int rows, int d);

    /// <summary>pre[b, m] = ReLU(xc[b] · wEnc[m] + bEnc[m]): the only dense term of a step.</summary>
    void EncoderGemm(View<float> xc, View<float> wEnc, View<float> bEnc, View<float> pre, int rows, int d, int latents);

    /// <summary>Per row, the k largest of pre[b, ·] in descending order (ties: lower latent first).</summary>
    void TopK(View<float> pre, int rows, int latents, int k, View<int> index, View<float> value);

    /// <summary>Per row, the k largest of pre[b, m] over latents with mask[m] ≠ 0 (AuxK over dead latents);
    /// slots beyond the number of such latents get index -1 and value 0.</summary>
    void MaskedTopK(View<float> pre, View<int> mask, int rows, int latents, int k, View<int> index, View<float> value);

    /// <summary>output[b] = bias + Σ_j value[b, j] · w[index[b, j]]; an empty bias view means zero. Accumulates in fp32.</summary>
    void SparseDecode(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> bias, View<float> output, int d);

    /// <summary>residual = predicted − target; grad = gradScale · residual; per row ‖residual‖² into rowError and
    /// ‖target‖² into rowTarget (an empty view skips it). Used for the main loss and, with the detached residual
    /// as target, for AuxK.</summary>
    void Residual(View<float> predicted, View<float> target, int rows, int d, float gradScale,
        View<float> residual, View<float> grad, View<float> rowError, View<float> rowTarget);

    /// <summary>gAct[b, j] = value[b, j] &gt; 0 ? w[index[b, j]] · grad[b] : 0 — the gradient reaching a selected
    /// pre-activation (ReLU and top-k pass it only where the latent fired).</summary>
    void LatentGrad(View<int> index, View<float> value, int rows, int k, View<float> w, View<float> grad, int d, View<float> gAct);

    /// <summary>Counting sort of the selection entries by latent: after it, entries order[start[m] .. start[m+1])
    /// (ids into index, in increasing order) are those of latent m. Empty slots are left out.</summary>
    void GroupByLatent(View<int> index, int count, int latents, View<int> start, View<int> order);

    /// <summary>The sparse weight gradients, one latent at a time and without atomics. Entries e &lt; rows·k are the
    /// main selection (token e / k, decoder gradient source grad), the rest AuxK (token (e − rows·k) / kAux, source
    /// auxGrad). dWDec[m] = Σ value_e·source[b_e]; dWEnc[m] = Σ gAct_e·xc[b_e]; dBEnc[m] = Σ gAct_e. Latents
    /// without entries get zero rows.</summary>
    void SparseWeightGrads(View<int> start, View<int> order, View<float> value, View<float> gAct, int rows, int k, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, int d, int latents,
        View<float> dWEnc, View<float> dBEnc, View<float> dWDec);

    /// <summary>dBDec = Σ_b grad[b] − Σ_m dBEnc[m] · wEnc[m] (the decoder bias reaches the loss directly and through
    /// the encoder's input x − b_dec).</summary>
    void DecoderBiasGrad(View<float> grad, int rows, View<float> wEnc, View<float> dBEnc, int latents, int d, View<float> dBDec);

    /// <summary>grad[m] −= (grad[m] · w[m]) w[m]: keeps unit-norm decoder rows from being pushed off the sphere.</summary>
    void RemoveParallelGrad(View<float> w, View<float> grad, int rowCount, int d);

    /// <summary>w[m] /= ‖w[m]‖ (rows of zero norm are left alone).</summary>
    void NormalizeRows(View<float> w, int rowCount, int d);

    /// <summary>One Adam update of every element of param.</summary>
    void Adam(View<float> param, View<float> grad, View<float> moment1, View<float> moment2, in AdamStep step);

    /// <summary>Per latent, tokens since it last fired (value &gt; 0): +rows for all, 0 where it fired in this batch
    /// (saturating). Then dead[m] = sinceFired[m] ≥ deadAfter ? 1 : 0, and deadCount[0] = Σ dead.</summary>
    void UpdateDeadLatents(View<int> index, View<float> value, int rows, int k, int latents,
        View<int> sinceFired, int deadAfter, View<int> dead, View<int> deadCount);
}
