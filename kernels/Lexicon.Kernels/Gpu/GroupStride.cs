using ILGPU;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The grid-stride loop over items handed to whole groups (rows, latents): every thread of a group sees the same item,
/// so the loop body may hold barriers. 32-bit, as the counts it walks are. As a <c>for</c> loop, for the reason
/// <see cref="GridStride"/> gives: <c>for (int b = GroupStride.First(); b &lt; rows; b += GroupStride.Step()) …</c>
/// </summary>
internal static class GroupStride
{
    /// <summary>This group's first item, in runs of <paramref name="perGroup"/> items per group (the run's first).</summary>
    public static int First(int perGroup = 1) => Grid.IdxX * perGroup;

    /// <summary>Items the grid's groups take in one pass.</summary>
    public static int Step(int perGroup = 1) => Grid.DimX * perGroup;
}
