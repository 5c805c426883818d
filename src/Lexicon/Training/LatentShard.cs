using Lexicon.Model;

namespace Lexicon.Training;

/// <summary>
/// A process's share of an SAE's per-latent tensors under latent-parallel training (latents [start, start + count):
/// their rows of W_enc and W_dec, their b_enc, and the same places of the Adam moments in the parameter layout; b_dec
/// whole), and the whole model back from the shares (<see cref="IPartition.GatherLatents(float[], int)"/>).
/// </summary>
public static class LatentShard
{
    public static SaeWeights Slice(SaeWeights w, int start, int count)
    {
        int d = w.D;
        return new SaeWeights(new SaeShape(d, count), w.WEnc[(start * d)..((start + count) * d)], w.BEnc[start..(start + count)],
            w.WDec[(start * d)..((start + count) * d)], w.BDec) { MinActivation = w.MinActivation };
    }

    public static SaeWeights Gather(SaeWeights own, int latents, IPartition partition) =>
        new(new SaeShape(own.D, latents), partition.GatherLatents(own.WEnc, own.D), partition.GatherLatents(own.BEnc, 1),
            partition.GatherLatents(own.WDec, own.D), own.BDec) { MinActivation = own.MinActivation };

    /// <summary>The share of a buffer in the whole model's parameter layout (an Adam moment), in the share's layout.</summary>
    public static float[] SliceLayout(float[] whole, int d, int latents, int start, int count)
    {
        var from = new ParameterLayout(new SaeShape(d, latents));
        var to = new ParameterLayout(new SaeShape(d, count));
        var own = new float[to.Length];
        Copy(whole, from.WEnc.Offset + (long)start * d, own, to.WEnc);
        Copy(whole, from.BEnc.Offset + start, own, to.BEnc);
        Copy(whole, from.WDec.Offset + (long)start * d, own, to.WDec);
        Copy(whole, from.BDec.Offset, own, to.BDec);
        return own;
    }

    /// <summary>The whole model's buffer in its parameter layout from every process's share (b_dec from this one's).</summary>
    public static float[] GatherLayout(float[] own, int d, int count, int latents, IPartition partition)
    {
        var from = new ParameterLayout(new SaeShape(d, count));
        var to = new ParameterLayout(new SaeShape(d, latents));
        var whole = new float[to.Length];
        Place(partition.GatherLatents(Part(own, from.WEnc), d), whole, to.WEnc);
        Place(partition.GatherLatents(Part(own, from.BEnc), 1), whole, to.BEnc);
        Place(partition.GatherLatents(Part(own, from.WDec), d), whole, to.WDec);
        Place(Part(own, from.BDec), whole, to.BDec);
        return whole;
    }

    private static void Copy(float[] source, long offset, float[] target, Segment to) =>
        source.AsSpan((int)offset, (int)to.Length).CopyTo(target.AsSpan((int)to.Offset));

    private static float[] Part(float[] buffer, Segment segment) => buffer.AsSpan((int)segment.Offset, (int)segment.Length).ToArray();

    private static void Place(float[] part, float[] target, Segment to) => part.CopyTo(target.AsSpan((int)to.Offset));
}
