using Lexicon.Kernels;
using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>
/// How a step selects each token's latents — the encoder with its top-k, and AuxK's top-k over the dead latents —
/// into the batch's views: over the whole batch in this process (<see cref="WholeBatch"/>), or, data-parallel under
/// MPI, each rank over its share of the rows, exchanged so that every rank then holds the whole batch's selections
/// (<see cref="Distributed.DataParallelSelector"/>). The encoder is the one dense term of a step: this is the work
/// that more ranks divide. Both leave the same bits: each row's selection depends on that row alone.
/// </summary>
public interface ISelector
{
    /// <summary>pre (for the rows this process selects), MainIndex and MainValue (for every row) from Xc.</summary>
    void EncodeTopK(DeviceSae sae, BatchViews v);

    /// <summary>AuxIndex(kAux) and AuxValue(kAux) for every row: the kAux largest pre-activations among dead latents.</summary>
    void MaskedTopK(IKernels k, BatchViews v, View<int> dead, int latents, int kAux);
}

/// <summary>The whole batch, here.</summary>
public sealed class WholeBatch : ISelector
{
    public static readonly WholeBatch Instance = new();

    public void EncodeTopK(DeviceSae sae, BatchViews v) =>
        sae.Kernels.EncodeTopK(v.Xc, sae.WEnc, sae.BEnc, v.Pre, v.Rows, v.D, sae.Shape.Latents, v.K, v.MainIndex, v.MainValue);

    public void MaskedTopK(IKernels k, BatchViews v, View<int> dead, int latents, int kAux) =>
        k.MaskedTopK(v.Pre, dead, v.Rows, latents, kAux, v.AuxIndex(kAux), v.AuxValue(kAux));
}
