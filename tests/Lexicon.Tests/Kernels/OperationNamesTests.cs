using System.Reflection;
using Lexicon.Benchmarks;
using Lexicon.Kernels;

namespace Lexicon.Tests.Kernels;

/// <summary>One name per operation: each operation of <see cref="IKernels"/> has its rules in Ops/, its reference, its
/// CPU and its GPU kernel under that name, and a case in <c>lexicon bench --op</c>.</summary>
public sealed class OperationNamesTests
{
    public static TheoryData<string> Operations => [.. typeof(IKernels).GetMethods()
        .Where(m => m.Name is not (nameof(IKernels.Allocate) or nameof(IKernels.Synchronize)) && !m.IsSpecialName)
        .Select(m => m.Name)];

    [Theory, MemberData(nameof(Operations))]
    public void Every_operation_has_its_rules_reference_cpu_and_gpu_kernel_and_bench_case_under_its_name(string op)
    {
        var kernels = typeof(IKernels).Assembly;
        foreach (string folder in new[] { "Ops", "Reference", "Cpu", "Gpu" })
            Assert.True(kernels.GetType($"Lexicon.Kernels.{folder}.{op}") is not null, $"no {folder}/{op}");
        Assert.Contains(OpCase.All, c => c.Name == op);
    }

    [Fact]
    public void Every_bench_case_is_an_operation() =>
        Assert.All(OpCase.All, c => Assert.NotNull(typeof(IKernels).GetMethod(c.Name, BindingFlags.Public | BindingFlags.Instance)));
}
