using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>Device memory for the ILGPU backend: one dense 1D buffer on the backend's accelerator. Copies run on the
/// accelerator's default stream, after every kernel queued before them, and return once the data has arrived.</summary>
public sealed class IlgpuArray<T> : DeviceArray<T> where T : unmanaged
{
    private readonly IlgpuKernels _owner;
    private MemoryBuffer1D<T, Stride1D.Dense>? _buffer;

    internal IlgpuArray(IlgpuKernels owner, long length) : base(length)
    {
        _owner = owner;
        _buffer = owner.Accelerator.Allocate1D<T>(Math.Max(1, length));
        _buffer.MemSetToZero();
    }

    public override IKernels Owner => _owner;

    /// <summary>The first <see cref="DeviceArray{T}.Length"/> elements (the buffer holds at least one, so that an empty
    /// array still has a valid view).</summary>
    internal ArrayView<T> View => (_buffer ?? throw new ObjectDisposedException(nameof(IlgpuArray<T>))).View.SubView(0, Math.Max(1, Length));

    public override void CopyFromHost(ReadOnlySpan<T> source, long offset = 0)
    {
        if (offset < 0 || offset + source.Length > Length) throw new ArgumentOutOfRangeException(nameof(offset));
        if (source.Length > 0) View.SubView(offset, source.Length).CopyFromCPU(source);
    }

    public override void CopyToHost(Span<T> destination, long offset = 0)
    {
        if (offset < 0 || offset + destination.Length > Length) throw new ArgumentOutOfRangeException(nameof(offset));
        if (destination.Length > 0) View.SubView(offset, destination.Length).CopyToCPU(destination);
    }

    public override void Clear() => View.MemSetToZero();

    public override void Dispose()
    {
        _buffer?.Dispose();
        _buffer = null;
    }
}
