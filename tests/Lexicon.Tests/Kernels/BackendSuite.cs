using Lexicon.Kernels;
using Lexicon.Tests.Gpu;

namespace Lexicon.Tests.Kernels;

/// <summary>
/// What every per-backend test suite shares: the backend — its own, made on first use by <see cref="CreateKernels"/>,
/// or one a class fixture shares among a class's tests (compiling an ILGPU backend's kernels takes seconds), with the
/// reason it is absent here, if it is (every test is then skipped) — and views of host data on it.
/// </summary>
public abstract class BackendSuite : IDisposable
{
    private readonly BackendFixture? _shared;
    private readonly Lazy<IKernels> _kernels;

    protected BackendSuite(BackendFixture? shared = null)
    {
        _shared = shared;
        _kernels = new Lazy<IKernels>(() => shared is null ? CreateKernels() : shared.Kernels!);
    }

    /// <summary>The suite's own backend, when no fixture shares one.</summary>
    protected virtual IKernels CreateKernels() => throw new InvalidOperationException($"{GetType().Name} has neither a shared backend nor its own");

    protected IKernels K => _kernels.Value;

    /// <summary>Non-null when the backend cannot run here (no such device): every test is skipped with this message.</summary>
    protected string? SkipReason => _shared?.SkipReason;

    public void Dispose()
    {
        if (_shared is null && _kernels.IsValueCreated) _kernels.Value.Dispose();
        GC.SuppressFinalize(this);
    }

    protected View<T> Up<T>(T[] data) where T : unmanaged => K.Up(data);

    protected View<T> New<T>(long length) where T : unmanaged => K.New<T>(length);
}
