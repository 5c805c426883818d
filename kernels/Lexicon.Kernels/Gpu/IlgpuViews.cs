using ILGPU;

namespace Lexicon.Kernels.Gpu;

/// <summary>Turns views into ILGPU array views of their exact extent, checking that they belong to this backend.</summary>
internal static class IlgpuViews
{
    public static ArrayView<T> Of<T>(this View<T> view, IlgpuKernels owner) where T : unmanaged =>
        view.Array is IlgpuArray<T> array && ReferenceEquals(array.Owner, owner)
            ? array.View.SubView(view.Offset, view.Length)
            : throw new ArgumentException($"a view of a {view.Array?.GetType().Name ?? "missing array"} was passed to the {owner.Name} backend");
}
