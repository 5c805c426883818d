using Lexicon.Kernels;
using Lexicon.Tests.Kernels;

namespace Lexicon.Tests.Gpu;

/// <summary>The ILGPU lookup-table kernels on each ILGPU accelerator, sharing the backend of the class's fixture;
/// skipped where the device is absent.</summary>
public sealed class IlgpuCpuTableKernelTests(IlgpuCpuBackend backend) : TableKernelSuite(backend), IClassFixture<IlgpuCpuBackend>;

public sealed class OpenClTableKernelTests(OpenClBackend backend) : TableKernelSuite(backend), IClassFixture<OpenClBackend>;

public sealed class CudaTableKernelTests(CudaBackend backend) : TableKernelSuite(backend), IClassFixture<CudaBackend>;
