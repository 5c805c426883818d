using System.Runtime.InteropServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>Host memory for the CPU backend: 64-byte aligned (one cache line, one Vector512) and never moved by the GC,
/// so kernels work on raw pointers.</summary>
public sealed unsafe class CpuArray<T> : DeviceArray<T> where T : unmanaged
{
    private readonly CpuKernels _owner;
    private T* _data;

    internal CpuArray(CpuKernels owner, long length) : base(length)
    {
        _owner = owner;
        nuint bytes = (nuint)Math.Max(1, length) * (nuint)sizeof(T);
        _data = (T*)NativeMemory.AlignedAlloc(bytes, 64);
        NativeMemory.Clear(_data, bytes);
    }

    public override IKernels Owner => _owner;

    internal T* Pointer => _data != null ? _data : throw new ObjectDisposedException(nameof(CpuArray<T>));

    public override void CopyFromHost(ReadOnlySpan<T> source, long offset = 0)
    {
        if (offset < 0 || offset + source.Length > Length) throw new ArgumentOutOfRangeException(nameof(offset));
        source.CopyTo(new Span<T>(Pointer + offset, source.Length));
    }

    public override void CopyToHost(Span<T> destination, long offset = 0)
    {
        if (offset < 0 || offset + destination.Length > Length) throw new ArgumentOutOfRangeException(nameof(offset));
        new ReadOnlySpan<T>(Pointer + offset, destination.Length).CopyTo(destination);
    }

    public override void Clear() => NativeMemory.Clear(Pointer, (nuint)Length * (nuint)sizeof(T));

    public override void Dispose()
    {
        if (_data == null) return;
        NativeMemory.AlignedFree(_data);
        _data = null;
    }
}
