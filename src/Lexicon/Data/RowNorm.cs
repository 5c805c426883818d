namespace Lexicon.Data;

/// <summary>
/// --normalize token: every token's activation scaled to norm √d before the SAE sees it, and the reconstruction scaled
/// back (SAELens's "constant_norm_rescale"). Training's summed squared error then weighs every token alike, as NMSE
/// does: without it, tokens with small norms count for little in the loss but as much as any in NMSE, and where norms
/// vary (MiniLM's last layer) the two disagree.
/// </summary>
public static class RowNorm
{
    public const string None = "none";
    public const string Token = "token";

    /// <summary>Scales each of the rows of x to norm √d in place; scale[b] receives the factor to undo it (‖x_b‖/√d,
    /// 1 for a zero row).</summary>
    public static void Apply(Span<float> x, int rows, int d, Span<float> scale)
    {
        for (int b = 0; b < rows; b++)
        {
            var row = x.Slice(b * d, d);
            double squares = 0;
            foreach (float v in row) squares += (double)v * v;
            double s = Math.Sqrt(squares / d);
            if (!(s > 0)) s = 1;
            float inverse = (float)(1 / s);
            for (int i = 0; i < d; i++) row[i] *= inverse;
            scale[b] = (float)s;
        }
    }

    /// <summary>Applies it when asked to, with the factors thrown away (for inputs whose scale is not needed back).</summary>
    public static void ApplyIf(bool normalize, Span<float> x, int rows, int d)
    {
        if (!normalize) return;
        var scale = new float[rows];
        Apply(x, rows, d, scale);
    }
}
