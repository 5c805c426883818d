namespace Lexicon.Kernels;

/// <summary>A kept variant of an operation (DESIGN.md §2): numbered in the order they were written, named as its code,
/// with one line on what it changes. A backend runs its highest-numbered variant unless told otherwise.</summary>
public sealed record KernelVariant(int Number, string Name, string Change);
