using System.Runtime.InteropServices;

namespace Lexicon.Kernels.Cpu;

/// <summary>Host memory for the CPU backend: 64-byte aligned (one cache line, one Vector512) and never moved by the GC,
/// so kernels work on raw pointers. Arrays of 2 MB and more are 2 MB aligned and, on Linux, advised to use transparent
/// huge pages: the sparse kernels gather rows at random from arrays of tens of MB (W_dec, grad, xc, pre's panels), and
/// with 4 KB pages nearly every gathered row costs a page walk.</summary>
public sealed unsafe class CpuArray<T> : DeviceArray<T> where T : unmanaged
{
    private const nuint HugePage = 2 << 20;

    private readonly CpuKernels _owner;
    private T* _data;

    internal CpuArray(CpuKernels owner, long length) : base(length)
    {
        _owner = owner;
        nuint bytes = (nuint)Math.Max(1, length) * (nuint)sizeof(T);
        bool huge = bytes >= HugePage;
        _data = (T*)NativeMemory.AlignedAlloc(bytes, huge ? HugePage : 64);
        if (huge) HugePages.Advise(_data, bytes / HugePage * HugePage);
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

    public override void Clear()
    {
        NativeMemory.Clear(Pointer, (nuint)Length * (nuint)sizeof(T));
    }

    public override void Dispose()
    {
        if (_data == null) return;
        NativeMemory.AlignedFree(_data);
        _data = null;
    }
}

/// <summary>Transparent huge pages for large host arrays (Linux; elsewhere, or if refused, a no-op).</summary>
internal static unsafe class HugePages
{
    private const int MadviseHugePage = 14;

    public static void Advise(void* start, nuint bytes)
    {
        if (!OperatingSystem.IsLinux() || bytes == 0) return;
        try
        {
            _ = Madvise(start, bytes, MadviseHugePage);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Madvise(void* address, nuint length, int advice);
}
