using System.Numerics.Tensors;
using Lexicon.Kernels;
using Lexicon.Model;
using Lexicon.Training;

namespace Lexicon.Distributed;

/// <summary>
/// Latent-parallel: rank r owns the contiguous latents [M·r/R, M·(r+1)/R) — their rows of W_enc and W_dec, their b_enc,
/// their Adam state and firing counters — and every rank reads the whole batch. Each encodes and selects over its own
/// latents; the k candidates of every row from every rank (latent id and value, 8 bytes an entry) are gathered and the
/// row's top-k taken by <see cref="Kernels.Reference.TopK"/>'s rule (larger value first, equal values the lower latent
/// first), so the selection is the one process's. Each rank then decodes the selected latents it owns, and the partial
/// reconstructions are added in rank order on every rank (the lead's carries b_dec), as is b_dec's gradient; everything
/// else — the sparse backward, Adam, renormalisation, the dead counters — is local, and the tables are updated on every
/// rank from the same residual. The sums over ranks are the only reassociation, so results agree with one process to
/// float rounding (about 1e-7 relative a step), not bit for bit. Per step each rank receives (R − 1)·B·(k + k_aux)·8 B of
/// candidates and (R − 1)·B·d·4 B of partial reconstruction (twice with AuxK): independent of M. At scale the candidate
/// exchange wants a tree merge and the partial sums an allreduce (docs/SCALE.md); here the gathers keep the sum's order
/// fixed and the same on every rank.
/// </summary>
public sealed class LatentPartition : IPartition
{
    private readonly World _world;
    private readonly int _latents;
    private readonly int[] _starts;
    // Host buffers kept across steps: every rank's candidates, the merged selection, the ranks' partial sums.
    private int[] _index = [];
    private float[] _value = [];
    private int[] _mergedIndex = [];
    private float[] _mergedValue = [];
    private float[] _sums = [];
    private long _batches;
    private readonly RankFailure? _failure = RankFailure.FromEnvironment();

    /// <param name="latents">The model's latents M; every rank must own at least <paramref name="k"/> of them.</param>
    public LatentPartition(World world, int latents, int k)
    {
        _world = world;
        _latents = latents;
        _starts = [.. Enumerable.Range(0, world.Size + 1).Select(r => RowPartition.Share(latents, r, world.Size).Start)];
        int fewest = Enumerable.Range(0, world.Size).Min(r => _starts[r + 1] - _starts[r]);
        if (fewest < k)
            throw new BadInputException("--latents", $"{latents} latents over {world.Size} ranks leave a rank {fewest}, fewer than --k {k}");
    }

    public (int Start, int Count) Own(int latents) => (_starts[_world.Rank], _starts[_world.Rank + 1] - _starts[_world.Rank]);

    public void EncodeTopK(DeviceSae sae, BatchViews v)
    {
        _batches++;
        _world.Start();
        _failure?.At(_world.Rank, _batches, "batch");
        sae.Kernels.EncodeTopK(v.Xc, sae.WEnc, sae.BEnc, v.Pre, v.Rows, v.D, sae.Shape.Latents, v.K, v.MainIndex, v.MainValue);
        Merge(v.MainIndex, v.MainValue, v.Rows, v.K, v.K, $"batch {_batches}: the top-k");
        sae.ApplyFloor(v.MainValue, (long)v.Rows * v.K);
    }

    public void MaskedTopK(IKernels k, BatchViews v, View<int> dead, int latents, int kAux)
    {
        // This rank may own fewer latents than the job's kAux: its candidates are at most all of them, packed first.
        int own = Math.Min(kAux, latents);
        var index = v.AuxIndex(kAux);
        var value = v.AuxValue(kAux);
        k.MaskedTopK(v.Pre, dead, v.Rows, latents, own, index.Slice(0, (long)v.Rows * own), value.Slice(0, (long)v.Rows * own));
        Merge(index, value, v.Rows, own, kAux, $"batch {_batches}: the AuxK top-k");
    }

    public void Decode(IKernels k, View<int> index, View<float> value, int rows, int perRow, View<float> w, View<float> bias, View<float> output, int d)
    {
        k.SparseDecode(index, value, rows, perRow, w, _world.IsLead ? bias : default, output, d);
        SumOverRanks(output, rows * d, "the partial reconstructions");
    }

    public int DeadCount(int own)
    {
        var all = new int[_world.Size];
        all[_world.Rank] = own;
        _world.Allgather(all.AsSpan(), Ones(), "the dead counts");
        return all.Sum();
    }

    public void DecoderBiasGrad(IKernels k, BatchViews v, DeviceSae sae, View<float> dBEnc, View<float> dBDec)
    {
        // Σ_b grad[b] once (on the lead), − Σ_m dBEnc[m]·W_enc[m] over each rank's own latents.
        k.DecoderBiasGrad(v.Grad, _world.IsLead ? v.Rows : 0, sae.WEnc, dBEnc, sae.Shape.Latents, v.D, dBDec);
        SumOverRanks(dBDec, v.D, "b_dec's gradient");
    }

    public float[] GatherLatents(float[] own, int perLatent) => Gather(own, perLatent);

    public int[] GatherLatents(int[] own) => Gather(own, 1);

    private T[] Gather<T>(T[] own, int perLatent) where T : unmanaged
    {
        var all = new T[(long)_latents * perLatent];
        var counts = Enumerable.Range(0, _world.Size).Select(r => (_starts[r + 1] - _starts[r]) * perLatent).ToArray();
        own.AsSpan().CopyTo(all.AsSpan(_starts[_world.Rank] * perLatent));
        _world.Allgather(all.AsSpan(), counts, "the latents' rows");
        return all;
    }

    /// <summary>Every rank's <paramref name="candidates"/> per row (own latent ids, -1 for none) gathered, each row's top
    /// <paramref name="k"/> of them taken, and written back as this rank's ids (-1 where another rank owns the latent).</summary>
    private void Merge(View<int> index, View<float> value, int rows, int candidates, int k, string what)
    {
        int block = rows * candidates, total = block * _world.Size;
        if (_index.Length < total) (_index, _value) = (new int[total], new float[total]);
        if (_mergedIndex.Length < rows * k) (_mergedIndex, _mergedValue) = (new int[rows * k], new float[rows * k]);
        int offset = block * _world.Rank, start = _starts[_world.Rank];
        index.Slice(0, block).CopyToHost(_index.AsSpan(offset, block));
        value.Slice(0, block).CopyToHost(_value.AsSpan(offset, block));
        for (int e = offset; e < offset + block; e++)
            if (_index[e] >= 0) _index[e] += start;
        var counts = Enumerable.Repeat(block, _world.Size).ToArray();
        _world.Allgather(_index.AsSpan(0, total), counts, what);
        _world.Allgather(_value.AsSpan(0, total), counts, what);

        // Each rank's candidates come in the selection's order (larger first, ties to the lower latent; -1 slots last), so
        // a row's top-k is a merge of R ordered lists: k steps of picking the best head.
        var heads = new int[_world.Size];
        int end = _starts[_world.Rank + 1];
        for (int b = 0; b < rows; b++)
        {
            Array.Clear(heads);
            for (int j = 0; j < k; j++)
            {
                int best = -1, bestLatent = -1;
                float bestValue = 0;
                for (int r = 0; r < _world.Size; r++)
                {
                    if (heads[r] == candidates) continue;
                    int e = r * block + b * candidates + heads[r];
                    int latent = _index[e];
                    if (latent < 0) continue;
                    float v = _value[e];
                    if (best < 0 || v > bestValue || (v == bestValue && latent < bestLatent)) (best, bestLatent, bestValue) = (r, latent, v);
                }
                if (best >= 0) heads[best]++;
                _mergedIndex[b * k + j] = bestLatent >= start && bestLatent < end ? bestLatent - start : -1;
                _mergedValue[b * k + j] = best >= 0 ? bestValue : 0;
            }
        }
        index.Slice(0, rows * k).CopyFromHost(_mergedIndex.AsSpan(0, rows * k));
        value.Slice(0, rows * k).CopyFromHost(_mergedValue.AsSpan(0, rows * k));
    }

    /// <summary>In place: the sum over ranks of every rank's <paramref name="part"/>, added in rank order.</summary>
    private void SumOverRanks(View<float> part, int length, string what)
    {
        int total = length * _world.Size;
        if (_sums.Length < total) _sums = new float[total];
        part.Slice(0, length).CopyToHost(_sums.AsSpan(length * _world.Rank, length));
        _world.Allgather(_sums.AsSpan(0, total), Enumerable.Repeat(length, _world.Size).ToArray(), $"batch {_batches}: {what}");
        // Into rank 0's block, in place: element-wise adds, the same roundings as a scalar loop.
        var sum = _sums.AsSpan(0, length);
        for (int r = 1; r < _world.Size; r++) TensorPrimitives.Add(sum, _sums.AsSpan(length * r, length), sum);
        part.Slice(0, length).CopyFromHost(sum);
    }

    private int[] Ones() => Enumerable.Repeat(1, _world.Size).ToArray();
}
