using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// dBDec = Σ_b grad[b] − Σ_m dBEnc[m]·wEnc[m] as column sums over rows + latents terms. A thread per column alone
/// would leave the GPU nearly idle (d threads, each a long dependent chain), so the terms are cut into chunks: the
/// first kernel writes one partial sum per (chunk, column), the second adds a column's partials in chunk order.
/// </summary>
internal sealed class DecoderBiasGrad(Accelerator accelerator, Launch launch)
{
    /// <summary>Terms per chunk, at least: enough work per thread to hide the loads.</summary>
    private const int MinChunk = 64;
    private const int MaxChunks = 256;

    private readonly Action<KernelConfig, ArrayView<float>, int, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>> _partial =
        accelerator.LoadStreamKernel<ArrayView<float>, int, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>>(Partial);
    private readonly Action<KernelConfig, ArrayView<float>, int, int, ArrayView<float>> _finish =
        accelerator.LoadStreamKernel<ArrayView<float>, int, int, ArrayView<float>>(Finish);

    public static int Chunks(int rows, int latents) => Math.Clamp((rows + latents) / MinChunk, 1, MaxChunks);

    /// <param name="partials">Scratch of <see cref="Chunks"/> × d elements.</param>
    public void Run(ArrayView<float> grad, int rows, ArrayView<float> wEnc, ArrayView<float> dBEnc, int latents, int d,
        ArrayView<float> dBDec, ArrayView<float> partials)
    {
        int chunks = Chunks(rows, latents), columnTiles = (d + launch.GroupSize - 1) / launch.GroupSize;
        _partial(new KernelConfig(new Index2D(columnTiles, chunks), new Index2D(launch.GroupSize, 1)), grad, rows, wEnc, dBEnc, latents, d, partials);
        _finish(launch.Elementwise(d), partials, chunks, d, dBDec);
    }

    private static void Partial(ArrayView<float> grad, int rows, ArrayView<float> wEnc, ArrayView<float> dBEnc, int latents, int d,
        ArrayView<float> partials)
    {
        int i = Grid.GlobalIndex.X, chunk = Grid.IdxY, chunks = Grid.DimY;
        if (i >= d) return;
        int terms = rows + latents;
        int first = (int)((long)terms * chunk / chunks), end = (int)((long)terms * (chunk + 1) / chunks);
        float sum = 0;
        for (int t = first; t < end; t++)
        {
            if (t < rows) sum += grad[(long)t * d + i];
            else if (dBEnc[t - rows] != 0) sum -= dBEnc[t - rows] * wEnc[(long)(t - rows) * d + i];
        }
        partials[(long)chunk * d + i] = sum;
    }

    private static void Finish(ArrayView<float> partials, int chunks, int d, ArrayView<float> dBDec)
    {
        for (long i = GridStride.First; i < d; i += GridStride.Step)
        {
            float sum = 0;
            for (int c = 0; c < chunks; c++) sum += partials[(long)c * d + i];
            dBDec[i] = sum;
        }
    }
}
