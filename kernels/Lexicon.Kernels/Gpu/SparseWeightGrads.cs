using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// dW_dec, dW_enc and db_enc from the entries grouped by latent: one group per latent, threads across the model
/// dimension, each thread summing its columns over the latent's entries in entry order in registers. Every output is
/// written by exactly one thread, so there are no atomics and the result does not depend on scheduling.
/// </summary>
internal sealed class SparseWeightGrads(Accelerator accelerator, Launch launch)
{
    private readonly Action<KernelConfig, ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>, EntryLayout,
        ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>> _kernel =
        accelerator.LoadStreamKernel<ArrayView<int>, ArrayView<int>, ArrayView<float>, ArrayView<float>, EntryLayout,
            ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>, ArrayView<float>, ArrayView<float>>(Kernel);

    public void Run(ArrayView<int> start, ArrayView<int> order, ArrayView<float> value, ArrayView<float> gAct, int rows, int k, int kAux,
        ArrayView<float> grad, ArrayView<float> auxGrad, ArrayView<float> xc, int d, int latents,
        ArrayView<float> dWEnc, ArrayView<float> dBEnc, ArrayView<float> dWDec) =>
        _kernel(launch.PerItem(latents), start, order, value, gAct, new EntryLayout(rows * k, k, kAux), grad, auxGrad, xc, d, latents,
            dWEnc, dBEnc, dWDec);

    private static void Kernel(ArrayView<int> start, ArrayView<int> order, ArrayView<float> value, ArrayView<float> gAct, EntryLayout layout,
        ArrayView<float> grad, ArrayView<float> auxGrad, ArrayView<float> xc, int d, int latents,
        ArrayView<float> dWEnc, ArrayView<float> dBEnc, ArrayView<float> dWDec)
    {
        for (int m = GroupStride.First(); m < latents; m += GroupStride.Step())
        {
            int first = start[m], end = start[m + 1];
            for (int i = Group.IdxX; i < d; i += Group.DimX)
            {
                float dec = 0, enc = 0;
                for (int s = first; s < end; s++)
                {
                    int e = order[s];
                    long o = (long)layout.Token(e) * d + i;
                    dec += value[e] * (layout.IsMain(e) ? grad[o] : auxGrad[o]);
                    enc += gAct[e] * xc[o];
                }
                dWDec[(long)m * d + i] = dec;
                dWEnc[(long)m * d + i] = enc;
            }
            if (Group.IdxX == 0)
            {
                float bias = 0;
                for (int s = first; s < end; s++) bias += gAct[order[s]];
                dBEnc[m] = bias;
            }
        }
    }

    /// <summary>Where an entry comes from: entries below MainCount are the main selection (token e / K), the rest
    /// AuxK (token (e − MainCount) / KAux). Without AuxK entries KAux is taken as 1: ILGPU turns the choice in
    /// <see cref="Token"/> into a select that evaluates both divisions, and a division by zero traps on CPUs (PoCL).</summary>
    internal readonly struct EntryLayout(int mainCount, int k, int kAux)
    {
        private readonly int _mainCount = mainCount, _k = k, _kAux = Math.Max(1, kAux);

        public bool IsMain(int e) => e < _mainCount;

        public int Token(int e) => e < _mainCount ? e / _k : (e - _mainCount) / _kAux;
    }
}
