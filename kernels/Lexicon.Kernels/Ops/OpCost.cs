namespace Lexicon.Kernels.Ops;

/// <summary>
/// What one call of an operation costs by its cost model (DESIGN.md §3): FLOPs (a compare or an index step counts as
/// one) and bytes moved, each operand counted once (gathered rows included), 4 bytes an element.
/// <para>Each operation's rules are written once, in its file of this folder, beside its reference: <c>Check</c> rejects
/// bad sizes and narrows every operand view to exactly the extent the call reads or writes (throwing, with the
/// argument's name, when a view is short), and <c>Cost</c> is its cost model. Every backend checks through it before it
/// runs a kernel; <c>TimedKernels</c> and <c>lexicon bench --op</c> charge its cost.</para>
/// </summary>
public readonly record struct OpCost(double Flops, double Bytes)
{
    /// <summary>A cost whose traffic is counted in 4-byte elements.</summary>
    public static OpCost Of(double flops, double elements) => new(flops, 4 * elements);

    public static OpCost operator +(OpCost a, OpCost b) => new(a.Flops + b.Flops, a.Bytes + b.Bytes);
}
