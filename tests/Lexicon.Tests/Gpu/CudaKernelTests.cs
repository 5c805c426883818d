using Lexicon.Kernels;
using Lexicon.Tests.Kernels;

namespace Lexicon.Tests.Gpu;

/// <summary>The ILGPU kernels on a CUDA device; skipped where there is none.</summary>
public sealed class CudaKernelTests(CudaBackend backend) : KernelSuite(backend), IClassFixture<CudaBackend>;
