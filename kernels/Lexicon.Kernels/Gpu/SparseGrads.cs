namespace Lexicon.Kernels.Gpu;

/// <summary>
/// On the ILGPU backends, <see cref="IKernels.SparseGrads"/> is the two kernels it fuses on the CPU, in order: the main
/// and AuxK selections' <see cref="LatentGrad"/>, then <see cref="SparseWeightGrads"/>. A GPU gathers the W_dec rows
/// from its L2 at a bandwidth the CPU's L3 does not have; fusing them there is for when a GPU measures it (issue 18).
/// </summary>
internal static class SparseGrads
{
    public static void Run(IKernels k, View<int> index, View<int> start, View<int> order, View<float> value, int rows, int kMain, int kAux,
        View<float> grad, View<float> auxGrad, View<float> xc, View<float> wDec, int d, int latents,
        View<float> gAct, View<float> dWEnc, View<float> dBEnc, View<float> dWDec)
    {
        long main = (long)rows * kMain, aux = (long)rows * kAux;
        k.LatentGrad(index.Slice(0, main), value.Slice(0, main), rows, kMain, wDec, grad, d, gAct.Slice(0, main));
        if (kAux > 0) k.LatentGrad(index.Slice(main, aux), value.Slice(main, aux), rows, kAux, wDec, auxGrad, d, gAct.Slice(main, aux));
        k.SparseWeightGrads(start, order, value, gAct, rows, kMain, kAux, grad, auxGrad, xc, d, latents, dWEnc, dBEnc, dWDec);
    }
}
