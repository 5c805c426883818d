using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;

namespace Lexicon.Tests.Kernels;

public sealed class CpuPoolKernelTests : PoolKernelSuite
{
    protected override IKernels CreateKernels() => new CpuKernels();
}
