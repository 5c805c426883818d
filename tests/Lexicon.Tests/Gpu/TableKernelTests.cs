using Lexicon.Kernels;
using Lexicon.Tests.Kernels;

namespace Lexicon.Tests.Gpu;

/// <summary>The ILGPU lookup-table kernels on each ILGPU accelerator, sharing the backend of the class's fixture;
/// skipped where the device is absent.</summary>
public sealed class IlgpuCpuTableKernelTests(IlgpuCpuBackend backend) : TableKernelSuite, IClassFixture<IlgpuCpuBackend>
{
    protected override IKernels CreateKernels() => backend.Kernels!;
    protected override string? SkipReason => backend.SkipReason;
    protected override bool OwnsKernels => false;
}

public sealed class OpenClTableKernelTests(OpenClBackend backend) : TableKernelSuite, IClassFixture<OpenClBackend>
{
    protected override IKernels CreateKernels() => backend.Kernels!;
    protected override string? SkipReason => backend.SkipReason;
    protected override bool OwnsKernels => false;
}

public sealed class CudaTableKernelTests(CudaBackend backend) : TableKernelSuite, IClassFixture<CudaBackend>
{
    protected override IKernels CreateKernels() => backend.Kernels!;
    protected override string? SkipReason => backend.SkipReason;
    protected override bool OwnsKernels => false;
}
