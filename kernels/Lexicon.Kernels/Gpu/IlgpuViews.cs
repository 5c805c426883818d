using ILGPU;

namespace Lexicon.Kernels.Gpu;

/// <summary>Turns views into ILGPU array views, checking that they belong to this backend and are long enough.</summary>
internal static class IlgpuViews
{
    public static ArrayView<T> Of<T>(this View<T> view, IlgpuKernels owner) where T : unmanaged =>
        view.Array is IlgpuArray<T> array && ReferenceEquals(array.Owner, owner)
            ? array.View.SubView(view.Offset, view.Length)
            : throw new ArgumentException($"a view of a {view.Array?.GetType().Name ?? "missing array"} was passed to the {owner.Name} backend");

    /// <summary>Throws unless the view holds at least <paramref name="needed"/> elements: kernels do not bounds-check.</summary>
    public static View<T> Need<T>(this View<T> view, long needed, string name) where T : unmanaged =>
        view.Length >= needed ? view : throw new ArgumentException($"{name} holds {view.Length} values, the kernel needs {needed}");
}
