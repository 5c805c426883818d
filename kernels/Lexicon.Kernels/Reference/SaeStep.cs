namespace Lexicon.Kernels.Reference;

/// <summary>The weights of a TopK SAE in float64, latent-major as everywhere in Lexicon.</summary>
public sealed record SaeWeights(double[] WEnc, double[] BEnc, double[] WDec, double[] BDec, int D, int Latents)
{
    public static SaeWeights Zeros(int d, int latents) =>
        new(new double[latents * d], new double[latents], new double[latents * d], new double[d], d, latents);

    public SaeWeights Copy() => new((double[])WEnc.Clone(), (double[])BEnc.Clone(), (double[])WDec.Clone(), (double[])BDec.Clone(), D, Latents);

    /// <summary>All four tensors in one list, in the order of Lexicon's parameter buffer.</summary>
    public double[][] Tensors => [WEnc, BEnc, WDec, BDec];
}

/// <summary>Lookup tables in float64: the [totalRows, d] values and the batch's [rows, slots] selected rows (-1 = none).</summary>
public sealed record SaeTables(double[] Values, int[] RowIndex, int Slots);

/// <summary>A feature pool in float64: the [poolRows, d] decoder rows and the batch's [rows, active] pooled activations.</summary>
public sealed record SaePool(double[] Values, int[] Index, double[] Value, int Active);

/// <summary>The hard-coded parts of a reconstruction (tables, pool), and whether their sum is also removed from the
/// encoder's input.</summary>
public sealed record SaeKnown(SaeTables? Tables, SaePool? Pool, bool Subtract)
{
    /// <summary>Per token, the sum of the tables' rows and the pooled features' contributions.</summary>
    public double[] Sum(int rows, int d)
    {
        var sum = new double[rows * d];
        if (Tables is not null) TableGather.Run(Tables.RowIndex, rows, Tables.Slots, Tables.Values, d, sum);
        if (Pool is not null) PoolDecode.Run(Pool.Index, Pool.Value, rows, Pool.Active, Pool.Values, d, sum);
        return sum;
    }
}

/// <summary>What a loss evaluation selected and produced, kept for the gradient pass and for tests.</summary>
public sealed record SaeForward(double Loss, double MainLoss, double AuxLoss, int[] Index, double[] Value, int[] AuxIndex, double[] AuxValue,
    double[] Xc, double[] Residual, double[] Grad, double[] AuxGrad);

/// <summary>
/// One TopK SAE training step in float64, composed from the reference kernels: the oracle for the trainer's step and
/// the function whose finite differences check the gradients. Loss = Σ_b ‖x̂_b − x_b‖² / (rows·normalizer)
/// + auxCoefficient · Σ_b ‖ê_b − e_b‖² / (rows·normalizer), where ê decodes the top-kAux dead latents (no bias)
/// and e = x̂ − x is held fixed (detached) in the AuxK term.
/// </summary>
public static class SaeStep
{
    public static SaeForward Forward(SaeWeights w, double[] x, int rows, int k, int[]? dead, int kAux, double auxCoefficient,
        double normalizer, double[]? detachedResidual = null, SaeKnown? known = null)
    {
        int d = w.D, latents = w.Latents;
        var xc = new double[rows * d];
        Center.Run(x, w.BDec, xc, rows, d);
        var tab = known?.Sum(rows, d) ?? new double[rows * d];
        if (known is { Subtract: true }) AddScaled.Run(tab, -1, xc, tab.Length);
        var pre = new double[rows * latents];
        var index = new int[rows * k];
        var value = new double[rows * k];
        EncodeTopK.Run(xc, w.WEnc, w.BEnc, pre, rows, d, latents, k, index, value);
        var xhat = new double[rows * d];
        SparseDecode.Run(index, value, rows, k, w.WDec, w.BDec, xhat, d);
        AddScaled.Run(tab, 1, xhat, tab.Length);
        var residual = new double[rows * d];
        var grad = new double[rows * d];
        var rowError = new double[rows];
        double scale = 1.0 / (rows * normalizer);
        Residual.Run(xhat, x, rows, d, 2 * scale, residual, grad, rowError, null);
        double mainLoss = rowError.Sum() * scale;

        var auxIndex = new int[rows * kAux];
        var auxValue = new double[rows * kAux];
        var auxGrad = new double[rows * d];
        double auxLoss = 0;
        if (kAux > 0 && dead is not null)
        {
            MaskedTopK.Run(pre, dead, rows, latents, kAux, auxIndex, auxValue);
            var ehat = new double[rows * d];
            SparseDecode.Run(auxIndex, auxValue, rows, kAux, w.WDec, null, ehat, d);
            var auxRowError = new double[rows];
            Residual.Run(ehat, detachedResidual ?? residual, rows, d, 2 * auxCoefficient * scale, new double[rows * d], auxGrad, auxRowError, null);
            auxLoss = auxRowError.Sum() * scale;
        }
        return new SaeForward(mainLoss + auxCoefficient * auxLoss, mainLoss, auxLoss, index, value, auxIndex, auxValue, xc, residual, grad, auxGrad);
    }

    /// <summary>The gradients of <see cref="Forward"/>'s loss with respect to the tables' values and the pool's decoder
    /// rows (dense, [totalRows, d] and [poolRows, d]): each selected row gets the loss gradient of its token (times the
    /// pooled activation, for the pool), minus (when the known parts are subtracted) the gradient reaching the
    /// encoder's input.</summary>
    public static (double[]? Tables, double[]? Pool) KnownBackward(SaeWeights w, SaeForward f, SaeKnown known, int rows, int k, int kAux)
    {
        int d = w.D;
        var source = (double[])f.Grad.Clone();
        if (known.Subtract)
        {
            var gAct = new double[rows * k];
            LatentGrad.Run(f.Index, f.Value, rows, k, w.WDec, f.Grad, d, gAct);
            var auxGAct = new double[rows * kAux];
            LatentGrad.Run(f.AuxIndex, f.AuxValue, rows, kAux, w.WDec, f.AuxGrad, d, auxGAct);
            var toInput = new double[rows * d];
            SparseDecode.Run(f.Index, gAct, rows, k, w.WEnc, null, toInput, d);
            AddScaled.Run(toInput, -1, source, source.Length);
            SparseDecode.Run(f.AuxIndex, auxGAct, rows, kAux, w.WEnc, null, toInput, d);
            AddScaled.Run(toInput, -1, source, source.Length);
        }
        double[]? tableGrad = null, poolGrad = null;
        if (known.Tables is { } tables)
        {
            tableGrad = new double[tables.Values.Length];
            var (touched, rowGrads) = TableGrads.Run(tables.RowIndex, rows, tables.Slots, source, 1, d);
            Scatter(touched, rowGrads, tableGrad, d);
        }
        if (known.Pool is { } pool)
        {
            poolGrad = new double[pool.Values.Length];
            var (touched, rowGrads) = PoolGrads.Run(pool.Index, pool.Value, rows, pool.Active, source, 1, d);
            Scatter(touched, rowGrads, poolGrad, d);
        }
        return (tableGrad, poolGrad);
    }

    private static void Scatter(int[] touched, double[] rowGrads, double[] dense, int d)
    {
        for (int u = 0; u < touched.Length; u++)
            for (int i = 0; i < d; i++) dense[touched[u] * d + i] = rowGrads[u * d + i];
    }

    /// <summary>The gradient of <see cref="Forward"/>'s loss with respect to every weight.</summary>
    public static SaeWeights Backward(SaeWeights w, SaeForward f, int rows, int k, int kAux)
    {
        int d = w.D, latents = w.Latents;
        var g = SaeWeights.Zeros(d, latents);
        var gAct = new double[rows * k];
        LatentGrad.Run(f.Index, f.Value, rows, k, w.WDec, f.Grad, d, gAct);
        var auxGAct = new double[rows * kAux];
        LatentGrad.Run(f.AuxIndex, f.AuxValue, rows, kAux, w.WDec, f.AuxGrad, d, auxGAct);
        SparseWeightGrads.Run([.. f.Index, .. f.AuxIndex], [.. f.Value, .. f.AuxValue], [.. gAct, .. auxGAct], rows, k, kAux,
            f.Grad, f.AuxGrad, f.Xc, d, latents, g.WEnc, g.BEnc, g.WDec);
        DecoderBiasGrad.Run(f.Grad, rows, w.WEnc, g.BEnc, latents, d, g.BDec);
        return g;
    }
}
