using Lexicon.Kernels;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Distributed;

/// <summary>
/// Data-parallel selection: every rank holds the same weights and reads the same whole batch (the one process's batch,
/// in its order); each encodes and top-k-selects only its share of the rows — contiguous, rank r's
/// [rows·r/R, rows·(r+1)/R) — and the shares' selections (latent ids and values, 8 bytes an entry) are gathered on
/// every rank. The rest of the step (decode, loss, the sparse backward, Adam, the tables' rows, the dead-latent
/// counters) then runs on the whole batch on every rank, exactly as in one process: no gradient is reduced, so no sum is
/// reassociated, and the run is bit-identical to one process at any rank count. What moves per step is
/// rows × (k + kAux) entries, far less than the dense gradient (2·M·d floats) a gradient reduction would move.
/// </summary>
public sealed class RowPartition : IPartition
{
    private readonly World _world;
    private readonly int[] _counts;
    private readonly RankFailure? _failure = RankFailure.FromEnvironment();
    private int[] _index = [];
    private float[] _value = [];
    private long _batches;

    public RowPartition(World world)
    {
        _world = world;
        _counts = new int[world.Size];
    }

    /// <summary>Rank r's rows of a batch of <paramref name="rows"/>.</summary>
    public static (int Start, int Count) Share(int rows, int rank, int ranks)
    {
        int start = (int)((long)rows * rank / ranks);
        return (start, (int)((long)rows * (rank + 1) / ranks) - start);
    }

    public void EncodeTopK(DeviceSae sae, BatchViews v)
    {
        _batches++;
        _world.Start();
        _failure?.At(_world.Rank, _batches, "batch");
        var (start, count) = Share(v.Rows, _world.Rank, _world.Size);
        EncodeTopK(sae, v, start, count);
        Exchange(v.MainIndex, v.MainValue, v.Rows, v.K, "the top-k");
    }

    public void MaskedTopK(IKernels kernels, BatchViews v, View<int> dead, int latents, int kAux)
    {
        var (start, count) = Share(v.Rows, _world.Rank, _world.Size);
        MaskedTopK(kernels, v, dead, latents, kAux, start, count);
        Exchange(v.AuxIndex(kAux), v.AuxValue(kAux), v.Rows, kAux, "the AuxK top-k");
    }

    /// <summary>The encoder and top-k of rows [start, start + count) alone, into their places in the batch's views.</summary>
    public static void EncodeTopK(DeviceSae sae, BatchViews v, int start, int count)
    {
        int d = v.D, latents = sae.Shape.Latents, k = v.K;
        if (count <= 0) return;
        var value = v.MainValue.Slice((long)start * k, (long)count * k);
        sae.Kernels.EncodeTopK(v.Xc.Slice((long)start * d, (long)count * d), sae.WEnc, sae.BEnc,
            v.Pre.Slice((long)start * latents, (long)count * latents), count, d, latents, k, v.MainIndex.Slice((long)start * k, (long)count * k), value);
        sae.ApplyFloor(value, (long)count * k);
    }

    /// <summary>AuxK's top-k of rows [start, start + count) alone: their pre-activations are the only ones
    /// <see cref="EncodeTopK(DeviceSae, BatchViews, int, int)"/> computed on this rank.</summary>
    public static void MaskedTopK(IKernels kernels, BatchViews v, View<int> dead, int latents, int kAux, int start, int count)
    {
        if (count > 0)
            kernels.MaskedTopK(v.Pre.Slice((long)start * latents, (long)count * latents), dead, count, latents, kAux,
                v.AuxIndex(kAux).Slice((long)start * kAux, (long)count * kAux), v.AuxValue(kAux).Slice((long)start * kAux, (long)count * kAux));
    }

    /// <summary>Gathers every rank's block of (index, value) entries, perRow per row, onto every rank.</summary>
    private void Exchange(View<int> index, View<float> value, int rows, int perRow, string what)
    {
        int total = rows * perRow;
        if (_index.Length < total) (_index, _value) = (new int[total], new float[total]);
        for (int r = 0; r < _world.Size; r++) _counts[r] = Share(rows, r, _world.Size).Count * perRow;
        var (start, count) = Share(rows, _world.Rank, _world.Size);
        var own = (Start: start * perRow, Length: count * perRow);
        index.Slice(own.Start, own.Length).CopyToHost(_index.AsSpan(own.Start, own.Length));
        value.Slice(own.Start, own.Length).CopyToHost(_value.AsSpan(own.Start, own.Length));
        string at = $"batch {_batches}: {what}";
        _world.Allgather(_index.AsSpan(0, total), _counts, at);
        _world.Allgather(_value.AsSpan(0, total), _counts, at);
        index.CopyFromHost(_index.AsSpan(0, total));
        value.CopyFromHost(_value.AsSpan(0, total));
    }
}
