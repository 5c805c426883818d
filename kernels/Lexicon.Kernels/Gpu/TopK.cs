using System.Numerics;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Algorithms.ScanReduceOperations;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// Per-row top-k (over masked latents only, for <see cref="MaskedTopK"/>), one group per row, without sorting the row: a radix select
/// on order-preserving 32-bit keys of the values finds the bucket holding the k-th largest value, 8 bits at a time
/// from the top, and stops as soon as that bucket's members all win. The winners (everything above the bucket, then
/// the bucket's lowest latents) are compacted into shared memory and placed by rank: value descending, lower latent
/// first on ties, exactly as the reference orders them. Slots beyond the number of competing latents get (-1, 0).
/// The winners' shared memory is a fixed <see cref="MaxK"/> entries, not dynamic shared memory: ILGPU's OpenCL backend
/// keeps the dynamic buffer's address in a program-scope variable that every group overwrites, so on PoCL, where each
/// running group's local memory lies elsewhere, groups read each other's winners.
/// </summary>
internal sealed class TopK(Accelerator accelerator, Launch launch)
{
    private const int RadixBits = 8;
    internal const int Bins = 1 << RadixBits;
    private const uint SignBit = 0x8000_0000;
    private const int MinLatentsPerThread = 16;

    /// <summary>Shared memory holds the k winners (key and latent, 16 KiB): enough for AuxK's d/2 up to d = 4096.</summary>
    public const int MaxK = 2048;

    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<int>, int, int, int, int, ArrayView<int>, ArrayView<float>> _kernel =
        accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<int>, int, int, int, int, ArrayView<int>, ArrayView<float>>(Kernel);

    /// <summary>Every latent competes. (The kernel does not read the mask then: index stands in for it.)</summary>
    public void Run(ArrayView<float> pre, int rows, int latents, int k, ArrayView<int> index, ArrayView<float> value) =>
        Run(pre, index, false, rows, latents, k, index, value);

    /// <param name="mask">Latents with mask ≠ 0 compete; ignored unless <paramref name="masked"/>.</param>
    internal void Run(ArrayView<float> pre, ArrayView<int> mask, bool masked, int rows, int latents, int k, ArrayView<int> index, ArrayView<float> value)
    {
        if (k > MaxK) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} exceeds the {MaxK} winners top-k keeps in shared memory");
        _kernel(new KernelConfig(launch.Groups(rows, 1), Threads(launch, latents)), pre, mask, masked ? 1 : 0, rows, latents, k, index, value);
    }

    /// <summary>At least MinLatentsPerThread latents per thread: a short row gets a smaller group (fewer threads to meet
    /// at each barrier), but never less than a warp, which the group scans are built from.</summary>
    internal static int Threads(Launch launch, int latents) =>
        Math.Clamp(1 << BitOperations.Log2((uint)Math.Max(1, latents / MinLatentsPerThread)), Math.Min(launch.WarpSize, launch.GroupSize), launch.GroupSize);

    private static void Kernel(ArrayView<float> pre, ArrayView<int> mask, int masked, int rows, int latents, int k,
        ArrayView<int> index, ArrayView<float> value)
    {
        var histogram = SharedMemory.Allocate<int>(Bins);
        var found = SharedMemory.Allocate<int>(4); // digit, keys above its bucket, keys in it, competitors
        var winners = SharedMemory.Allocate<int>(2 * MaxK); // [0, k): keys; [k, 2k): latents
        for (int row = GroupStride.First(); row < rows; row += GroupStride.Step())
            SelectRow(pre, mask, masked, row, latents, k, index, value, histogram, found, winners);
    }

    /// <summary>One row's top-k by the whole group (a barrier at the end: the shared buffers may be reused at once).
    /// Shared by <see cref="PanelTopK"/>, for rows its panels cannot settle.</summary>
    internal static void SelectRow(ArrayView<float> pre, ArrayView<int> mask, int masked, int row, int latents, int k,
        ArrayView<int> index, ArrayView<float> value, ArrayView<int> histogram, ArrayView<int> found, ArrayView<int> winners)
    {
        int thread = Group.IdxX, threads = Group.DimX;
        long offset = (long)row * latents;
        var bucket = FindBucket(new RowKeys(pre, offset, mask, masked), latents, k, histogram, found);
        Compact(pre, mask, masked, offset, latents, bucket.Prefix, bucket.Mask, bucket.Target, bucket.Wanted, k, winners);
        Group.Barrier();
        long slots = (long)row * k;
        int target = bucket.Target;
        for (int i = thread; i < target; i += threads)
        {
            uint key = (uint)winners[i];
            int latent = winners[k + i], rank = 0;
            for (int j = 0; j < target; j++)
            {
                uint other = (uint)winners[j];
                if (other > key || (other == key && winners[k + j] < latent)) rank++;
            }
            index[slots + rank] = latent;
            value[slots + rank] = Value(key);
        }
        for (int i = target + thread; i < k; i += threads)
        {
            index[slots + i] = -1;
            value[slots + i] = 0;
        }
        Group.Barrier(); // winners and histogram are reused by the next row
    }

    /// <summary>Keys are prefix under mask in the bucket holding the k-th largest of <paramref name="count"/> keys; Target
    /// of them win (k, or all that compete if fewer), Wanted of those inside the bucket, every key above it winning.</summary>
    internal readonly record struct Bucket(uint Prefix, uint Mask, int Target, int Wanted);

    /// <summary>The radix select: the bucket of the k-th largest key, 8 bits at a time from the top, stopping as soon as
    /// that bucket's members all win. Every thread returns the same bucket.</summary>
    internal static Bucket FindBucket<TKeys>(TKeys keys, int count, int k, ArrayView<int> histogram, ArrayView<int> found)
        where TKeys : struct, IKeySource
    {
        int thread = Group.IdxX, threads = Group.DimX;
        uint prefix = 0, prefixMask = 0;
        int target = 0, wanted = 0; // winners in all; winners still to find inside the current bucket
        for (int shift = 32 - RadixBits; shift >= 0; shift -= RadixBits)
        {
            for (int bin = thread; bin < Bins; bin += threads) histogram[bin] = 0;
            Group.Barrier();
            for (int m = thread; m < count; m += threads)
                if (keys.TryKey(m, out uint key) && (key & prefixMask) == prefix)
                    Atomic.Add(ref histogram[(int)((key >> shift) & (Bins - 1))], 1);
            Group.Barrier();
            // Each thread owns a run of bins counted from the top; the scan says how many keys lie above its run.
            int binsPerThread = Bins / threads, top = Bins - 1 - thread * binsPerThread, own = 0;
            for (int j = 0; j < binsPerThread; j++) own += histogram[top - j];
            int above = GroupExtensions.ExclusiveScan<int, AddInt32>(own);
            if (shift == 32 - RadixBits)
            {
                if (thread == threads - 1) found[3] = above + own;
                Group.Barrier();
                target = XMath.Min(k, found[3]);
                wanted = target;
                if (target == 0) break;
            }
            for (int j = 0; j < binsPerThread; j++)
            {
                int binCount = histogram[top - j];
                if (above < wanted && above + binCount >= wanted)
                {
                    found[0] = top - j;
                    found[1] = above;
                    found[2] = binCount;
                }
                above += binCount;
            }
            Group.Barrier();
            prefix |= (uint)found[0] << shift;
            prefixMask |= (uint)(Bins - 1) << shift;
            wanted -= found[1];
            if (found[2] == wanted) break; // the whole bucket wins: no need to split it further
        }
        return new Bucket(prefix, prefixMask, target, wanted);
    }

    /// <summary>Writes the winners to shared memory: keys above the bucket first (in any order: ranks sort them later),
    /// then the first <paramref name="wanted"/> keys of the bucket in latent order. Each thread scans a contiguous run
    /// of latents so that one scan of per-thread counts numbers the bucket's members in latent order (both counts in
    /// one long: neither can carry into the other).</summary>
    private static void Compact(ArrayView<float> pre, ArrayView<int> mask, int masked, long offset, int latents, uint prefix, uint prefixMask,
        int target, int wanted, int k, ArrayView<int> winners)
    {
        int threads = Group.DimX, run = (latents + threads - 1) / threads;
        int first = Group.IdxX * run, end = XMath.Min(latents, first + run);
        int above = 0, level = 0;
        for (int m = first; m < end; m++)
        {
            if (masked != 0 && mask[m] == 0) continue;
            uint bucket = Key(pre[offset + m]) & prefixMask;
            if (bucket > prefix) above++;
            else if (bucket == prefix) level++;
        }
        long before = GroupExtensions.ExclusiveScan<long, AddInt64>(((long)above << 32) | (uint)level);
        int aboveSlot = (int)(before >> 32), levelSlot = (int)(before & uint.MaxValue);
        int levelStart = target - wanted;
        for (int m = first; m < end; m++)
        {
            if (masked != 0 && mask[m] == 0) continue;
            uint key = Key(pre[offset + m]), bucket = key & prefixMask;
            int slot = -1;
            if (bucket > prefix) slot = aboveSlot++;
            else if (bucket == prefix && levelSlot < wanted) slot = levelStart + levelSlot++;
            if (slot < 0) continue;
            winners[slot] = (int)key;
            winners[k + slot] = m;
        }
    }

    /// <summary>Order-preserving unsigned key of a float (−0 folded into +0, as the reference compares them equal).</summary>
    internal static uint Key(float v)
    {
        uint bits = v == 0f ? 0u : Interop.FloatAsInt(v);
        return (bits & SignBit) != 0 ? ~bits : bits | SignBit;
    }

    internal static float Value(uint key) => Interop.IntAsFloat((key & SignBit) != 0 ? key & ~SignBit : ~key);
}

/// <summary>Where <see cref="TopK.FindBucket"/> reads its keys: key m, or false when m does not compete.</summary>
internal interface IKeySource
{
    bool TryKey(int m, out uint key);
}

/// <summary>A row of pre (its masked latents only, when masked ≠ 0), as order-preserving keys.</summary>
internal readonly struct RowKeys(ArrayView<float> pre, long offset, ArrayView<int> mask, int masked) : IKeySource
{
    public bool TryKey(int m, out uint key)
    {
        key = 0;
        if (masked != 0 && mask[m] == 0) return false;
        key = TopK.Key(pre[offset + m]);
        return true;
    }
}
