using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;

namespace Lexicon.Tests.Kernels;

public sealed class CpuKernelTests : KernelSuite
{
    protected override IKernels CreateKernels() => new CpuKernels();
}
