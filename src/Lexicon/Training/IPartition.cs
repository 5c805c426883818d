using Lexicon.Kernels;
using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>
/// How a step's work is divided among the ranks of a job, at the few places where it is divided: the encoder with its
/// top-k and AuxK's top-k over the dead latents, the sparse decode, the dead count and b_dec's gradient. In one process
/// all of it is here (<see cref="WholeBatch"/>). Data-parallel (<see cref="Distributed.RowPartition"/>) each rank
/// selects for its share of the rows and the selections are exchanged; latent-parallel
/// (<see cref="Distributed.LatentPartition"/>) each rank owns a range of the latents — its own rows of W_enc, W_dec, b_enc
/// and their Adam state — and the selections are merged and the decode's partial sums added across ranks. The members
/// with a body are the undivided case.
/// </summary>
public interface IPartition
{
    /// <summary>pre (for the rows and latents this process selects over), MainIndex and MainValue (for every row) from Xc.
    /// Indices are the process's own latents; a slot selecting another rank's latent holds -1 and its value.</summary>
    void EncodeTopK(DeviceSae sae, BatchViews v);

    /// <summary>AuxIndex(kAux) and AuxValue(kAux) for every row: the kAux largest pre-activations among dead latents,
    /// indexed as in <see cref="EncodeTopK"/>.</summary>
    void MaskedTopK(IKernels k, BatchViews v, View<int> dead, int latents, int kAux);

    /// <summary>The latents this process owns, of the model's <paramref name="latents"/>.</summary>
    (int Start, int Count) Own(int latents) => (0, latents);

    /// <summary>output = bias + Σ value · w[index] over every rank's selected latents (w the process's own rows).</summary>
    void Decode(IKernels k, View<int> index, View<float> value, int rows, int perRow, View<float> w, View<float> bias, View<float> output, int d) =>
        k.SparseDecode(index, value, rows, perRow, w, bias, output, d);

    /// <summary>The job's dead latents, from this process's count of its own.</summary>
    int DeadCount(int own) => own;

    /// <summary>b_dec's gradient: Σ_b grad[b] − Σ_m dBEnc[m] · W_enc[m] over every rank's latents.</summary>
    void DecoderBiasGrad(IKernels k, BatchViews v, DeviceSae sae, View<float> dBEnc, View<float> dBDec) =>
        k.DecoderBiasGrad(v.Grad, v.Rows, sae.WEnc, dBEnc, sae.Shape.Latents, v.D, dBDec);

    /// <summary>A per-latent tensor of the whole model from this process's rows of it (<paramref name="perLatent"/>
    /// values each); the process's own rows are the whole in one process.</summary>
    float[] GatherLatents(float[] own, int perLatent) => own;

    /// <inheritdoc cref="GatherLatents(float[], int)"/>
    int[] GatherLatents(int[] own) => own;
}

/// <summary>The whole batch and every latent, here.</summary>
public sealed class WholeBatch : IPartition
{
    public static readonly WholeBatch Instance = new();

    public void EncodeTopK(DeviceSae sae, BatchViews v)
    {
        sae.Kernels.EncodeTopK(v.Xc, sae.WEnc, sae.BEnc, v.Pre, v.Rows, v.D, sae.Shape.Latents, v.K, v.MainIndex, v.MainValue);
        sae.ApplyFloor(v.MainValue, (long)v.Rows * v.K);
    }

    public void MaskedTopK(IKernels k, BatchViews v, View<int> dead, int latents, int kAux) =>
        k.MaskedTopK(v.Pre, dead, v.Rows, latents, kAux, v.AuxIndex(kAux), v.AuxValue(kAux));
}
