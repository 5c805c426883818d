using Lexicon.Kernels;

namespace Lexicon.Tests.Kernels;

/// <summary>Views the kernel suites hand a backend: host data copied up, or fresh zeroed memory. Each has its own array
/// of at least one element, so empty inputs (B = 0 rows of something) still get a valid view.</summary>
public static class DeviceViews
{
    public static View<T> Up<T>(this IKernels kernels, T[] data) where T : unmanaged
    {
        var array = kernels.Allocate<T>(Math.Max(1, data.Length));
        array.CopyFromHost(data);
        return array.Slice(0, data.Length);
    }

    public static View<T> New<T>(this IKernels kernels, long length) where T : unmanaged =>
        kernels.Allocate<T>(Math.Max(1, length)).Slice(0, length);
}
