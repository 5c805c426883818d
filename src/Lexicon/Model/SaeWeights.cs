namespace Lexicon.Model;

/// <summary>An SAE's weights on the host, latent-major like the device buffers: what checkpoints, evaluation and
/// initialisation exchange with the trainer.</summary>
public sealed record SaeWeights(SaeShape Shape, float[] WEnc, float[] BEnc, float[] WDec, float[] BDec)
{
    public static SaeWeights Zeros(SaeShape shape) =>
        new(shape, new float[shape.WeightCount], new float[shape.Latents], new float[shape.WeightCount], new float[shape.D]);

    /// <summary>The least activation at which a latent fires (--min-activation; 0: plain TopK).</summary>
    public float MinActivation { get; init; }

    public int D => Shape.D;
    public int Latents => Shape.Latents;

    /// <summary>Copies into a flat buffer laid out by <see cref="ParameterLayout"/>.</summary>
    public void WriteTo(Span<float> flat, ParameterLayout layout)
    {
        WEnc.CopyTo(flat.Slice((int)layout.WEnc.Offset));
        BEnc.CopyTo(flat.Slice((int)layout.BEnc.Offset));
        WDec.CopyTo(flat.Slice((int)layout.WDec.Offset));
        BDec.CopyTo(flat.Slice((int)layout.BDec.Offset));
    }

    public static SaeWeights ReadFrom(ReadOnlySpan<float> flat, ParameterLayout layout)
    {
        var w = Zeros(layout.Shape);
        flat.Slice((int)layout.WEnc.Offset, w.WEnc.Length).CopyTo(w.WEnc);
        flat.Slice((int)layout.BEnc.Offset, w.BEnc.Length).CopyTo(w.BEnc);
        flat.Slice((int)layout.WDec.Offset, w.WDec.Length).CopyTo(w.WDec);
        flat.Slice((int)layout.BDec.Offset, w.BDec.Length).CopyTo(w.BDec);
        return w;
    }
}
