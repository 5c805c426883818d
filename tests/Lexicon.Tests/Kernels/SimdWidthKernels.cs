using System.Reflection;
using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;

namespace Lexicon.Tests.Kernels;

/// <summary>A CPU backend whose every call runs at one forced vector width (<see cref="SimdIsa.Force"/> around the call),
/// so the suites test the 512-, 256-, 128-bit and scalar kernels on any machine, whatever it detects.</summary>
public class SimdWidthKernels : DispatchProxy
{
    private IKernels _inner = null!;
    private SimdWidth _width;

    public static IKernels Create(SimdWidth width)
    {
        var proxy = Create<IKernels, SimdWidthKernels>();
        var self = (SimdWidthKernels)(object)proxy;
        (self._inner, self._width) = (new CpuKernels(), width);
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        using var _ = SimdIsa.Force(_width);
        try
        {
            return targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}

/// <summary>Asserts what the forced width claims: a kernel call made under it runs at it.</summary>
public sealed class SimdWidthKernelsTests
{
    [Theory]
    [InlineData(SimdWidth.V512)]
    [InlineData(SimdWidth.V256)]
    [InlineData(SimdWidth.V128)]
    [InlineData(SimdWidth.Scalar)]
    public void Forcing_a_width_sets_the_current_width_and_restores_it(SimdWidth width)
    {
        var before = SimdIsa.Current;
        using (SimdIsa.Force(width)) Assert.Equal(width, SimdIsa.Current);
        Assert.Equal(before, SimdIsa.Current);
    }
}
