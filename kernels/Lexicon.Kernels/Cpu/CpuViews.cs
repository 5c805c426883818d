namespace Lexicon.Kernels.Cpu;

/// <summary>Turns views into pointers and spans, checking that the view belongs to the CPU backend.</summary>
internal static unsafe class CpuViews
{
    public static T* Ptr<T>(this View<T> view) where T : unmanaged =>
        view.Array is CpuArray<T> array
            ? array.Pointer + view.Offset
            : throw new ArgumentException($"a view of a {view.Array.GetType().Name} was passed to the CPU backend");

    public static Span<T> Span<T>(this View<T> view) where T : unmanaged => new(view.Ptr(), checked((int)view.Length));

    /// <summary>Throws unless the view holds at least <paramref name="needed"/> elements: kernels write through raw
    /// pointers, so a short buffer must fail here, loudly, not corrupt memory.</summary>
    public static View<T> Need<T>(this View<T> view, long needed, string name) where T : unmanaged =>
        view.Length >= needed ? view : throw new ArgumentException($"{name} holds {view.Length} values, the kernel needs {needed}");
}
