namespace Lexicon.Model;

/// <summary>
/// Where each tensor of an SAE sits in the one flat parameter buffer (and, identically, in the gradient and Adam
/// moment buffers): W_enc [M, d], b_enc [M], W_dec [M, d], b_dec [d], each starting on a 64-byte boundary.
/// </summary>
public readonly record struct ParameterLayout
{
    private const int Align = 16;

    public ParameterLayout(SaeShape shape)
    {
        Shape = shape;
        WEnc = new Segment(0, shape.WeightCount);
        BEnc = new Segment(AlignUp(WEnc.End), shape.Latents);
        WDec = new Segment(AlignUp(BEnc.End), shape.WeightCount);
        BDec = new Segment(AlignUp(WDec.End), shape.D);
        Length = AlignUp(BDec.End);
    }

    public SaeShape Shape { get; }
    public Segment WEnc { get; }
    public Segment BEnc { get; }
    public Segment WDec { get; }
    public Segment BDec { get; }
    public long Length { get; }

    private static long AlignUp(long n) => (n + Align - 1) / Align * Align;
}

/// <summary>A range of a flat buffer.</summary>
public readonly record struct Segment(long Offset, long Length)
{
    public long End => Offset + Length;
}
