using Lexicon.Kernels;
using Lexicon.Tests.Kernels;

namespace Lexicon.Tests.Gpu;

/// <summary>The ILGPU kernels on ILGPU's CPU accelerator: runs everywhere, so CI checks the GPU code on every build.</summary>
public sealed class IlgpuCpuKernelTests(IlgpuCpuBackend backend) : KernelSuite, IClassFixture<IlgpuCpuBackend>
{
    protected override IKernels CreateKernels() => backend.Kernels!;
    protected override string? SkipReason => backend.SkipReason;
    protected override bool OwnsKernels => false;
}
