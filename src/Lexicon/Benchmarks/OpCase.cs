using Lexicon.Kernels.Ops;

namespace Lexicon.Benchmarks;

/// <summary>
/// One operation as <c>lexicon bench --op</c> runs it (after llm.c's per-kernel programs): fresh random inputs at a
/// workload's shape, uploaded to a backend, the call, and the check of its outputs against the float64 reference. The
/// cost charged is the operation's own cost model (<c>Ops/</c>), at the same sizes the call is made with.
/// </summary>
public abstract class OpCase
{
    /// <summary>The operation's name: its <see cref="Kernels.IKernels"/> method, its files in Reference/Cpu/Gpu/Ops.</summary>
    public string Name => GetType().Name;

    public abstract OpCost Cost(Workload w);

    /// <summary>Inputs and outputs allocated and filled; nothing run yet.</summary>
    public abstract OpTrial Prepare(OpInputs c);

    /// <summary>Every operation of <see cref="Kernels.IKernels"/>, in the order a training step runs them.</summary>
    public static IReadOnlyList<OpCase> All { get; } =
    [
        new OpCases.Center(), new OpCases.TableRows(), new OpCases.TableGather(), new OpCases.PoolDecode(), new OpCases.AddScaled(),
        new OpCases.EncodeTopK(), new OpCases.ActivationFloor(), new OpCases.EncoderGemm(), new OpCases.TopK(), new OpCases.MaskedTopK(), new OpCases.SparseDecode(),
        new OpCases.Residual(), new OpCases.LatentGrad(), new OpCases.GroupByRow(), new OpCases.SparseWeightGrads(), new OpCases.SparseGrads(), new OpCases.DecoderBiasGrad(),
        new OpCases.UpdateDeadLatents(), new OpCases.TableGrads(), new OpCases.PoolGrads(), new OpCases.RemoveParallelGrad(), new OpCases.Adam(),
        new OpCases.NormalizeRows(), new OpCases.DecoderAdam(), new OpCases.SparseAdam(),
    ];

    public static OpCase Find(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new BadInputException($"--op '{name}' is not an operation (one of {string.Join(", ", All.Select(c => c.Name))})");
}

/// <summary>A prepared call: <see cref="Run"/> as often as timing needs; <see cref="Check"/> the outputs of the first
/// run against the reference (a call that updates its inputs in place is checked from the inputs it was given).</summary>
public sealed record OpTrial(Action Run, Action<OpCheck> Check);
