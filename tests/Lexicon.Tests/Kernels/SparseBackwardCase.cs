using Ref = Lexicon.Kernels.Reference;

namespace Lexicon.Tests.Kernels;

/// <summary>SparseWeightGrads' inputs as a step hands them over — the main and AuxK selections one after the other,
/// their activation gradients, grad, auxGrad and xc — with the reference's gradients to check a backend's against.</summary>
internal sealed record SparseBackwardCase(int Rows, int D, int Latents, int K, int KAux, int[] Index, float[] Value, float[] GAct,
    float[] Grad, float[] AuxGrad, float[] Xc)
{
    /// <param name="select">A selection of k latents per row (index, value).</param>
    /// <param name="hotLatent">Latent 0 takes every third main entry (where its row does not hold it already), as a
    /// frequent feature does: one latent, and one chunk of the split, holds most entries.</param>
    public static SparseBackwardCase Random(TestRandom r, int rows, int d, int latents, int k, int kAux,
        Func<TestRandom, int, int, int, (int[] Index, float[] Value)> select, bool hotLatent = false)
    {
        var (mainIndex, mainValue) = select(r, rows, latents, k);
        var (auxIndex, auxValue) = select(r, rows, latents, kAux);
        if (hotLatent)
            for (int e = 0; e < mainIndex.Length; e += 3)
                if (mainIndex[e] >= 0 && !mainIndex.AsSpan(e / k * k, k).Contains(0)) mainIndex[e] = 0;
        int[] index = [.. mainIndex, .. auxIndex];
        return new SparseBackwardCase(rows, d, latents, k, kAux, index, [.. mainValue, .. auxValue], r.Normal(index.Length),
            r.Normal(rows * d), r.Normal(rows * d), r.Normal(rows * d));
    }

    /// <summary>dW_enc, db_enc and dW_dec against the reference's, within fp32 tolerance.</summary>
    public void Check(float[] wEnc, float[] bEnc, float[] wDec, TestRandom r)
    {
        var eWEnc = new double[(long)Latents * D];
        var eBEnc = new double[Latents];
        var eWDec = new double[(long)Latents * D];
        Ref.SparseWeightGrads.Run(Index, Compare.ToDouble(Value), Compare.ToDouble(GAct), Rows, K, KAux,
            Compare.ToDouble(Grad), Compare.ToDouble(AuxGrad), Compare.ToDouble(Xc), D, Latents, eWEnc, eBEnc, eWDec);
        Compare.Close(eWEnc, wEnc, "dWEnc", r);
        Compare.Close(eBEnc, bEnc, "dBEnc", r);
        Compare.Close(eWDec, wDec, "dWDec", r);
    }
}
