using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The residual, its scaled gradient and both per-row norms.</summary>
public sealed class Residual : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.Residual.Cost(w.Batch, w.D);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, d = c.W.D;
        long n = (long)rows * d;
        var predicted = c.Normal(n);
        var target = c.Normal(n);
        var (residual, grad, rowError, rowTarget) = (c.Zeros(n), c.Zeros(n), c.Zeros(rows), c.Zeros(rows));
        const float scale = 0.37f;
        return new(() => c.K.Residual(predicted, target, rows, d, scale, residual, grad, rowError, rowTarget), check =>
        {
            var (e, g, re, rt) = (new double[n], new double[n], new double[rows], new double[rows]);
            Kernels.Reference.Residual.Run(predicted.Double(), target.Double(), rows, d, scale, e, g, re, rt);
            check.Close(nameof(residual), e, residual.Read());
            check.Close(nameof(grad), g, grad.Read());
            check.Close(nameof(rowError), re, rowError.Read());
            check.Close(nameof(rowTarget), rt, rowTarget.Read());
        });
    }
}
