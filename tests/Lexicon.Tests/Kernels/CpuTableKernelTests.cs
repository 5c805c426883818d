using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;

namespace Lexicon.Tests.Kernels;

public sealed class CpuTableKernelTests : TableKernelSuite
{
    protected override IKernels CreateKernels() => new CpuKernels();
}
