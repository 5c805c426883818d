namespace Lexicon.Kernels;

/// <summary>A contiguous range of a <see cref="DeviceArray{T}"/>: how parameters, gradients and moments that live in one
/// allocation each are handed to kernels piece by piece.</summary>
public readonly struct View<T> where T : unmanaged
{
    public View(DeviceArray<T> array, long offset, long length)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (offset < 0 || length < 0 || offset + length > array.Length)
            throw new ArgumentOutOfRangeException(nameof(length), $"view [{offset}, {offset + length}) outside array of {array.Length}");
        Array = array;
        Offset = offset;
        Length = length;
    }

    public DeviceArray<T> Array { get; }
    public long Offset { get; }
    public long Length { get; }

    /// <summary>True for a zero-length view and for <c>default</c>, which kernels read as "no such argument".</summary>
    public bool IsEmpty => Length == 0;

    /// <summary>The first <paramref name="length"/> elements: what a kernel reads or writes of this argument (kernels do
    /// not bounds-check, and the GPU's size their loops by their views). Throws, naming the argument, when it is shorter.</summary>
    public View<T> Need(long length, string name) =>
        Length >= length ? Slice(0, length) : throw new ArgumentException($"{name} holds {Length} values, the kernel needs {length}");

    public View<T> Slice(long offset, long length)
    {
        if (offset < 0 || length < 0 || offset + length > Length)
            throw new ArgumentOutOfRangeException(nameof(length), $"slice [{offset}, {offset + length}) outside view of {Length}");
        return new View<T>(Array, Offset + offset, length);
    }

    public void CopyFromHost(ReadOnlySpan<T> source)
    {
        if (source.Length > Length) throw new ArgumentException($"{source.Length} values do not fit a view of {Length}");
        Array.CopyFromHost(source, Offset);
    }

    public void CopyToHost(Span<T> destination)
    {
        if (destination.Length > Length) throw new ArgumentException($"view of {Length} cannot fill {destination.Length} values");
        Array.CopyToHost(destination, Offset);
    }

    public T[] ToArray()
    {
        var result = new T[Length];
        CopyToHost(result);
        return result;
    }
}
