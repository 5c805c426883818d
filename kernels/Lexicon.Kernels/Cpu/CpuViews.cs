namespace Lexicon.Kernels.Cpu;

/// <summary>Turns views into pointers and spans, checking that the view belongs to the CPU backend.</summary>
internal static unsafe class CpuViews
{
    public static T* Ptr<T>(this View<T> view) where T : unmanaged =>
        view.Array is CpuArray<T> array
            ? array.Pointer + view.Offset
            : throw new ArgumentException($"a view of a {view.Array.GetType().Name} was passed to the CPU backend");

    public static Span<T> Span<T>(this View<T> view) where T : unmanaged => new(view.Ptr(), checked((int)view.Length));
}
