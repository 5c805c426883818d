using Lexicon.Kernels;
using Lexicon.Tests.Kernels;

namespace Lexicon.Tests.Gpu;

/// <summary>The ILGPU kernels on an OpenCL 2.0+ device with generic address space (e.g. PoCL 6 inside
/// shared/tools/opencl-sandbox); skipped where there is none.</summary>
public sealed class OpenClKernelTests(OpenClBackend backend) : KernelSuite(backend), IClassFixture<OpenClBackend>;
