using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;

namespace Lexicon.Tests.Kernels;

// Every CPU kernel suite at every vector width, forced (SimdWidthKernels): the widths the machine does not run in
// hardware are emulated by the BCL, so each is tested on any machine.

public sealed class Cpu512KernelTests : KernelSuite
{
    protected override IKernels CreateKernels() => SimdWidthKernels.Create(SimdWidth.V512);
}

public sealed class Cpu256KernelTests : KernelSuite
{
    protected override IKernels CreateKernels() => SimdWidthKernels.Create(SimdWidth.V256);
}

public sealed class Cpu128KernelTests : KernelSuite
{
    protected override IKernels CreateKernels() => SimdWidthKernels.Create(SimdWidth.V128);
}

public sealed class CpuScalarKernelTests : KernelSuite
{
    protected override IKernels CreateKernels() => SimdWidthKernels.Create(SimdWidth.Scalar);
}

public sealed class Cpu512PoolKernelTests : PoolKernelSuite
{
    protected override IKernels CreateKernels() => SimdWidthKernels.Create(SimdWidth.V512);
}

public sealed class Cpu256PoolKernelTests : PoolKernelSuite
{
    protected override IKernels CreateKernels() => SimdWidthKernels.Create(SimdWidth.V256);
}

public sealed class Cpu128PoolKernelTests : PoolKernelSuite
{
    protected override IKernels CreateKernels() => SimdWidthKernels.Create(SimdWidth.V128);
}

public sealed class CpuScalarPoolKernelTests : PoolKernelSuite
{
    protected override IKernels CreateKernels() => SimdWidthKernels.Create(SimdWidth.Scalar);
}

public sealed class Cpu512TableKernelTests : TableKernelSuite
{
    protected override IKernels CreateKernels() => SimdWidthKernels.Create(SimdWidth.V512);
}

public sealed class Cpu256TableKernelTests : TableKernelSuite
{
    protected override IKernels CreateKernels() => SimdWidthKernels.Create(SimdWidth.V256);
}

public sealed class Cpu128TableKernelTests : TableKernelSuite
{
    protected override IKernels CreateKernels() => SimdWidthKernels.Create(SimdWidth.V128);
}

public sealed class CpuScalarTableKernelTests : TableKernelSuite
{
    protected override IKernels CreateKernels() => SimdWidthKernels.Create(SimdWidth.Scalar);
}
