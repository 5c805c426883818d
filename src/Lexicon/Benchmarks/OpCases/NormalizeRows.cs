using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>Decoder rows back onto the unit sphere, in place.</summary>
public sealed class NormalizeRows : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.NormalizeRows.Cost(w.Latents, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int rowCount = c.W.Latents, d = c.W.D;
        var w = c.Normal((long)rowCount * d, 3);
        return new(() => c.K.NormalizeRows(w, rowCount, d), check =>
        {
            var expected = w.Double();
            Kernels.Reference.NormalizeRows.Run(expected, rowCount, d);
            check.Close(nameof(w), expected, w.Read());
        });
    }
}
