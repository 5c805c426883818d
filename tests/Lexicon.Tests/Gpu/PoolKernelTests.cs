using Lexicon.Kernels;
using Lexicon.Tests.Kernels;

namespace Lexicon.Tests.Gpu;

/// <summary>The ILGPU feature-pool kernels on each ILGPU accelerator, sharing the backend of the class's fixture;
/// skipped where the device is absent.</summary>
public sealed class IlgpuCpuPoolKernelTests(IlgpuCpuBackend backend) : PoolKernelSuite, IClassFixture<IlgpuCpuBackend>
{
    protected override IKernels CreateKernels() => backend.Kernels!;
    protected override string? SkipReason => backend.SkipReason;
    protected override bool OwnsKernels => false;
}

public sealed class OpenClPoolKernelTests(OpenClBackend backend) : PoolKernelSuite, IClassFixture<OpenClBackend>
{
    protected override IKernels CreateKernels() => backend.Kernels!;
    protected override string? SkipReason => backend.SkipReason;
    protected override bool OwnsKernels => false;
}

public sealed class CudaPoolKernelTests(CudaBackend backend) : PoolKernelSuite, IClassFixture<CudaBackend>
{
    protected override IKernels CreateKernels() => backend.Kernels!;
    protected override string? SkipReason => backend.SkipReason;
    protected override bool OwnsKernels => false;
}
