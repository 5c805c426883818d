using Lexicon.Kernels;

namespace Lexicon.Tests.Kernels;

/// <summary>
/// What every per-backend test suite shares: the backend, made on first use; for a device that may be absent, why its
/// tests are skipped; and views of host data on it. A backend's test class only says how to make its kernels.
/// </summary>
public abstract class BackendSuite : IDisposable
{
    private readonly Lazy<IKernels> _kernels;

    protected BackendSuite() => _kernels = new Lazy<IKernels>(CreateKernels);

    protected abstract IKernels CreateKernels();

    protected IKernels K => _kernels.Value;

    /// <summary>Non-null when the backend cannot run here (no such device): every test is skipped with this message.</summary>
    protected virtual string? SkipReason => null;

    /// <summary>False when the test class shares one backend among its tests (compiling a GPU backend's kernels takes
    /// seconds); its fixture then disposes it.</summary>
    protected virtual bool OwnsKernels => true;

    public void Dispose()
    {
        if (OwnsKernels && _kernels.IsValueCreated) _kernels.Value.Dispose();
        GC.SuppressFinalize(this);
    }

    protected View<T> Up<T>(T[] data) where T : unmanaged => K.Up(data);

    protected View<T> New<T>(long length) where T : unmanaged => K.New<T>(length);
}
