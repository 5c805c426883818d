using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>The floor on a batch's selected activations (--min-activation), half of them below it.</summary>
public sealed class ActivationFloor : OpCase
{
    public override OpCost Cost(Workload w) => Kernels.Ops.ActivationFloor.Cost((long)w.Batch * w.K);

    public override OpTrial Prepare(OpInputs c)
    {
        long n = (long)c.W.Batch * c.W.K;
        var value = c.Uniform(n, 0, 1);
        return new(() => c.K.ActivationFloor(value, n, 0.5f), check =>
        {
            var expected = value.Double();
            Kernels.Reference.ActivationFloor.Run(expected, n, 0.5);
            check.Close(nameof(value), expected, value.Read());
        });
    }
}
