using Lexicon.Kernels;
using Lexicon.Tests.Kernels;

namespace Lexicon.Tests.Gpu;

/// <summary>The ILGPU kernels on ILGPU's CPU accelerator: runs everywhere, so CI checks the GPU code on every build.</summary>
public sealed class IlgpuCpuKernelTests(IlgpuCpuBackend backend) : KernelSuite(backend), IClassFixture<IlgpuCpuBackend>;
