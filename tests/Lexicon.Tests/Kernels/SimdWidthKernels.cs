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

/// <summary>The width switches: SimdIsa.Force and the values LEXICON_SIMD takes.</summary>
public sealed class SimdWidthSwitchTests
{
    [Theory]
    [InlineData("512", SimdWidth.V512, "avx512")]
    [InlineData("256", SimdWidth.V256, "avx2")]
    [InlineData(" AVX2 ", SimdWidth.V256, "avx2")]
    [InlineData("scalar", SimdWidth.Scalar, "scalar")]
    public void LEXICON_SIMD_values_name_a_width_and_its_isa(string value, SimdWidth width, string isa)
    {
        Assert.Equal(width, SimdIsa.Parse(value));
        Assert.Equal(isa, SimdIsa.IsaName(width));
    }

    [Fact]
    public void LEXICON_SIMD_unset_means_detect_and_a_bad_value_is_rejected_with_the_choices()
    {
        Assert.Null(SimdIsa.Parse(null));
        Assert.Null(SimdIsa.Parse(""));
        var e = Assert.Throws<ArgumentException>(() => SimdIsa.Parse("384"));
        Assert.Contains("512, 256, 128 or scalar", e.Message);
    }

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
