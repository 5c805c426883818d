using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks.OpCases;

/// <summary>Each latent's tokens since it fired, the dead mask and count, from a selection a quarter of whose entries did
/// not fire (value 0), counters some near saturation.</summary>
public sealed class UpdateDeadLatents : OpCase
{
    private const int DeadAfter = 50;

    public override OpCost Cost(Workload w) => Kernels.Ops.UpdateDeadLatents.Cost(w.Batch, w.K, w.Latents);

    public override OpTrial Prepare(OpInputs c)
    {
        int rows = c.W.Batch, k = c.W.K, latents = c.W.Latents;
        var (index, value) = c.Selection(rows, k, latents);
        for (int i = 0; i < value.Host.Length; i += 4) value.Host[i] = 0;
        value.View.CopyFromHost(value.Host);
        var sinceFired = c.Upload(Enumerable.Range(0, latents).Select(_ => c.Rng.NextInt(3) == 0 ? int.MaxValue - c.Rng.NextInt(5) : c.Rng.NextInt(100)).ToArray());
        var dead = c.IntZeros(latents);
        var deadCount = c.IntZeros(1);
        return new(() => c.K.UpdateDeadLatents(index, value, rows, k, latents, sinceFired, DeadAfter, dead, deadCount), check =>
        {
            var (since, expectedDead) = ((int[])sinceFired.Host.Clone(), new int[latents]);
            int count = Kernels.Reference.UpdateDeadLatents.Run(index.Host, value.Double(), rows, k, latents, since, DeadAfter, expectedDead);
            check.Equal(nameof(sinceFired), since, sinceFired.Read());
            check.Equal(nameof(dead), expectedDead, dead.Read());
            check.Equal(nameof(deadCount), [count], deadCount.Read());
        });
    }
}
