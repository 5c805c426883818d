using Lexicon.Kernels;
using Lexicon.Tests.Kernels;

namespace Lexicon.Tests.Gpu;

/// <summary>The ILGPU kernels on a CUDA device; skipped where there is none.</summary>
public sealed class CudaKernelTests(CudaBackend backend) : KernelSuite, IClassFixture<CudaBackend>
{
    protected override IKernels CreateKernels() => backend.Kernels!;
    protected override string? SkipReason => backend.SkipReason;
    protected override bool OwnsKernels => false;
}
