using Lexicon.Kernels;
using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>One Adam update of all of an SAE's parameters (W_enc, b_enc, W_dec, b_dec), at step 10.</summary>
public sealed class Adam : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.Adam.Cost(Parameters(w));

    public override OpTrial Prepare(OpInputs c)
    {
        long n = Parameters(c.W);
        var param = c.Normal(n);
        var grad = c.Normal(n, 1e-3);
        var moment1 = c.Normal(n, 1e-3);
        var moment2 = c.Uniform(n, 0, 1e-6);
        var step = AdamStep.At(10, 1e-4f);
        return new(() => c.K.Adam(param, grad, moment1, moment2, step), check =>
        {
            var (p, m1, m2) = (param.Double(), moment1.Double(), moment2.Double());
            Kernels.Reference.Adam.Run(p, grad.Double(), m1, m2, step);
            check.Close(nameof(param), p, param.Read());
            check.Close(nameof(moment1), m1, moment1.Read());
            check.Close(nameof(moment2), m2, moment2.Read());
        });
    }

    private static long Parameters(Workload w) => 2L * w.Latents * w.D + w.Latents + w.D;
}
