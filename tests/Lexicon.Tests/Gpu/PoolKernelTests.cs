using Lexicon.Kernels;
using Lexicon.Tests.Kernels;

namespace Lexicon.Tests.Gpu;

/// <summary>The ILGPU feature-pool kernels on each ILGPU accelerator, sharing the backend of the class's fixture;
/// skipped where the device is absent.</summary>
public sealed class IlgpuCpuPoolKernelTests(IlgpuCpuBackend backend) : PoolKernelSuite(backend), IClassFixture<IlgpuCpuBackend>;

public sealed class OpenClPoolKernelTests(OpenClBackend backend) : PoolKernelSuite(backend), IClassFixture<OpenClBackend>;

public sealed class CudaPoolKernelTests(CudaBackend backend) : PoolKernelSuite(backend), IClassFixture<CudaBackend>;
