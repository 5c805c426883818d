using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// Per-row top-k from the maxima of the row's 32-latent panels, which <see cref="EncoderGemm"/>'s epilogue wrote (as
/// keys), so that the row itself is read only where a winner can be: one group per row radix-selects the bucket of the
/// k-th largest panel maximum among the row's panels, held in shared memory, and takes its lower bound τ. At least k
/// panels reach τ and each holds a value that does, so every top-k value does too; only the panels that reach τ are
/// read (typically about k of M/32, where <see cref="TopK"/> reads every latent of the row in each radix pass), their
/// lanes that reach τ become candidates, and each candidate is placed by counting the candidates ranked above it
/// (value descending, lower latent first on ties, as the reference). A row with more candidates than shared memory
/// holds (many ties at τ, or fewer than k positive panels) is selected whole, by <see cref="TopK.SelectRow"/>.
/// </summary>
internal sealed class PanelTopK(Accelerator accelerator, Launch launch)
{
    /// <summary>Panels a row may have (8 KiB of keys, 65,536 latents); wider rows take <see cref="TopK"/>.</summary>
    public const int MaxPanels = 2048;

    /// <summary>Candidates held in shared memory (the winners buffer of <see cref="TopK"/>).</summary>
    private const int MaxCandidates = TopK.MaxK;

    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<uint>, int, int, int, ArrayView<int>, ArrayView<float>> _kernel =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<uint>, int, int, int, ArrayView<int>, ArrayView<float>>(Kernel);

    /// <summary>Whether rows of <paramref name="latents"/> have more panels than winners (else the panels prune
    /// nothing) and few enough for shared memory.</summary>
    public static bool Applies(int latents, int k)
    {
        int panels = EncoderGemm.Panels(latents);
        return panels > k && panels <= MaxPanels && k <= TopK.MaxK;
    }

    /// <param name="panelMax">Per row the key of each panel's maximum ([rows, panels]), as the GEMM's epilogue writes.</param>
    public void Run(ArrayView<float> pre, ArrayView<uint> panelMax, int rows, int latents, int k, ArrayView<int> index, ArrayView<float> value)
    {
        if (!Applies(latents, k)) throw new ArgumentOutOfRangeException(nameof(latents), $"{latents} latents at k = {k}: the panels do not apply");
        _kernel(new KernelConfig(launch.Groups(rows, 1), TopK.Threads(launch, latents)), pre, panelMax, rows, latents, k, index, value);
    }

    private static void Kernel(ArrayView<float> pre, ArrayView<uint> panelMax, int rows, int latents, int k,
        ArrayView<int> index, ArrayView<float> value)
    {
        var histogram = SharedMemory.Allocate<int>(TopK.Bins);
        var found = SharedMemory.Allocate<int>(4);
        var winners = SharedMemory.Allocate<int>(2 * TopK.MaxK); // [0, MaxK): candidates' keys; [MaxK, 2·MaxK): their latents
        var keys = SharedMemory.Allocate<uint>(MaxPanels);
        var chosen = SharedMemory.Allocate<int>(MaxPanels);
        var counts = SharedMemory.Allocate<int>(2); // panels chosen, candidates
        int thread = Group.IdxX, threads = Group.DimX, panels = EncoderGemm.Panels(latents);
        for (int row = GroupStride.First(); row < rows; row += GroupStride.Step())
        {
            long offset = (long)row * latents;
            for (int p = thread; p < panels; p += threads) keys[p] = panelMax[(long)row * panels + p];
            if (thread == 0)
            {
                counts[0] = 0;
                counts[1] = 0;
            }
            Group.Barrier();
            uint threshold = TopK.FindBucket(new SharedKeys(keys), panels, k, histogram, found).Prefix;
            for (int p = thread; p < panels; p += threads)
                if (keys[p] >= threshold) chosen[Atomic.Add(ref counts[0], 1)] = p;
            Group.Barrier();
            // A warp reads one panel at a time: 32 consecutive floats.
            int lanes = counts[0] * EncoderGemm.Panel;
            for (int i = thread; i < lanes; i += threads)
            {
                int m = chosen[i / EncoderGemm.Panel] * EncoderGemm.Panel + i % EncoderGemm.Panel;
                if (m >= latents) continue;
                uint key = TopK.Key(pre[offset + m]);
                if (key < threshold) continue;
                int slot = Atomic.Add(ref counts[1], 1);
                if (slot >= MaxCandidates) continue;
                winners[slot] = (int)key;
                winners[TopK.MaxK + slot] = m;
            }
            Group.Barrier();
            int candidates = counts[1];
            if (candidates > MaxCandidates)
            {
                TopK.SelectRow(pre, index, 0, row, latents, k, index, value, histogram, found, winners);
                continue;
            }
            long slots = (long)row * k;
            for (int i = thread; i < candidates; i += threads)
            {
                uint key = (uint)winners[i];
                int latent = winners[TopK.MaxK + i], rank = 0;
                for (int j = 0; j < candidates; j++)
                {
                    uint other = (uint)winners[j];
                    if (other > key || (other == key && winners[TopK.MaxK + j] < latent)) rank++;
                }
                if (rank >= k) continue;
                index[slots + rank] = latent;
                value[slots + rank] = TopK.Value(key);
            }
            Group.Barrier(); // the shared buffers are reused by the next row
        }
    }
}

/// <summary>Keys already in shared memory, all competing.</summary>
internal readonly struct SharedKeys(ArrayView<uint> keys) : IKeySource
{
    public bool TryKey(int m, out uint key)
    {
        key = keys[m];
        return true;
    }
}
