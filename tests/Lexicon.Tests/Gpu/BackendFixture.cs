using Lexicon.Kernels;

namespace Lexicon.Tests.Gpu;

/// <summary>One backend shared by a test class's tests (compiling an ILGPU backend's kernels takes seconds), or the
/// reason it cannot exist here: the message of <see cref="Backends.Create"/>, e.g. when there is no such device.</summary>
public abstract class BackendFixture : IDisposable
{
    protected BackendFixture(string device, string? hint = null)
    {
        try
        {
            Kernels = Backends.Create(device);
        }
        catch (BadInputException e)
        {
            SkipReason = hint is null ? e.Message : $"{e.Message}; {hint}";
        }
    }

    public IKernels? Kernels { get; }

    public string? SkipReason { get; }

    public void Dispose()
    {
        Kernels?.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class IlgpuCpuBackend() : BackendFixture("ilgpu-cpu");

public sealed class OpenClBackend() : BackendFixture("opencl", "PoCL 6 provides one inside shared/tools/opencl-sandbox");

public sealed class CudaBackend() : BackendFixture("cuda");
