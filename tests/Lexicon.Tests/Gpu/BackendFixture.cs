using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime.CPU;
using Lexicon.Kernels;

namespace Lexicon.Tests.Gpu;

/// <summary>One backend shared by a test class's tests (compiling an ILGPU backend's kernels takes seconds), or the
/// reason it cannot exist here: the message of <see cref="Backends.Create"/>, e.g. when there is no such device.</summary>
public abstract class BackendFixture : IDisposable
{
    protected BackendFixture(string device, string? hint = null, Precision precision = Precision.Fp32)
    {
        try
        {
            Kernels = Backends.Create(device, precision);
        }
        catch (BadInputException e)
        {
            SkipReason = hint is null ? e.Message : $"{e.Message}; {hint}";
        }
    }

    /// <summary>A backend made by hand (one <see cref="Backends"/> does not list).</summary>
    protected BackendFixture(Func<IKernels> create) => Kernels = create();

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

public sealed class CudaTf32Backend() : BackendFixture("cuda", precision: Precision.Tf32);

public sealed class CudaBf16Backend() : BackendFixture("cuda", precision: Precision.Bf16);

/// <summary>ILGPU's CPU emulator with 32-lane warps and groups of 256, running the tensor-core GEMM's warp layout with
/// the product computed from the tiles in place of the instruction (<c>Mma</c>'s shuffles in the one-warp test).</summary>
public abstract class Warp32EmulatorBackend(Precision precision) : BackendFixture(() => Create(precision))
{
    private static IKernels Create(Precision precision)
    {
        var context = Context.Create(b => b.CPU(new CPUDevice(32, 8, 1)).EnableAlgorithms());
        var accelerator = context.Devices.Single().CreateAccelerator(context);
        return new Lexicon.Kernels.Gpu.IlgpuKernels(accelerator, "ilgpu-cpu-warp32", precision: precision);
    }
}

public sealed class Warp32EmulatorTf32Backend() : Warp32EmulatorBackend(Precision.Tf32);

public sealed class Warp32EmulatorBf16Backend() : Warp32EmulatorBackend(Precision.Bf16);
