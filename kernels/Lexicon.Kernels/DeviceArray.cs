namespace Lexicon.Kernels;

/// <summary>A block of memory owned by one backend (host memory for the CPU backend, device memory for ILGPU).
/// Trainers hold these and pass <see cref="View{T}"/>s of them to kernels; only the owning backend reads inside.</summary>
public abstract class DeviceArray<T> : IDisposable where T : unmanaged
{
    protected DeviceArray(long length) => Length = length;

    public long Length { get; }

    /// <summary>The backend this array belongs to; kernels refuse views of another backend's arrays.</summary>
    public abstract IKernels Owner { get; }

    public View<T> All => new(this, 0, Length);

    public View<T> Slice(long offset, long length) => new(this, offset, length);

    public abstract void CopyFromHost(ReadOnlySpan<T> source, long offset = 0);

    public abstract void CopyToHost(Span<T> destination, long offset = 0);

    public T[] ToArray()
    {
        var result = new T[Length];
        CopyToHost(result);
        return result;
    }

    public abstract void Clear();

    public abstract void Dispose();
}
