using System.Reflection;
using ILGPU;
using ILGPU.Algorithms;
using Lexicon.Kernels.Gpu;

namespace Lexicon.Tests.Gpu;

/// <summary>
/// No kernel of the ILGPU backend compiles to PTX with the lost loop copy <see cref="PtxLoopCopies"/> finds; and the
/// finder does find it in the loop shape that produced it (an iterator whose <c>Next</c> takes the step, as GridStride
/// was from 2026-12-02 until this test: SparseAdam, GroupByRow and others then read past their ends on CUDA and OpenCL).
/// </summary>
public sealed class PtxLoopCopyTests
{
    /// <summary>Every static method of the Gpu namespace that can be a kernel: void, not generic, no by-reference
    /// parameter, at least one view (helpers a kernel calls are included: they compile as kernels of their own).</summary>
    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string>();
        foreach (var method in KernelMethods()) data.Add($"{method.DeclaringType!.Name}.{method.Name}");
        return data;
    }

    [Theory, MemberData(nameof(Kernels))]
    public void Kernel_has_no_lost_loop_copy_in_its_ptx(string name)
    {
        var method = KernelMethods().Single(m => $"{m.DeclaringType!.Name}.{m.Name}" == name);
        Assert.Empty(PtxLoopCopies.Find(PtxLoopCopies.Compile(method)));
    }

    [Fact]
    public void Finder_flags_an_iterator_loop_with_a_conditional_tail_and_not_its_for_loop_twin()
    {
        Assert.NotEmpty(PtxLoopCopies.Find(PtxLoopCopies.Compile(Method(nameof(IteratorLoop)))));
        Assert.Empty(PtxLoopCopies.Find(PtxLoopCopies.Compile(Method(nameof(ForLoop)))));
    }

    [Fact]
    public void Kernel_list_holds_the_backend_kernels()
    {
        var names = KernelMethods().Select(m => $"{m.DeclaringType!.Name}.{m.Name}").ToHashSet();
        Assert.Contains("SparseAdam.Update", names);
        Assert.Contains("GroupByRow.Place", names);
        Assert.Contains("EncoderGemm.Kernel", names);
        Assert.Contains("PanelTopK.Kernel", names);
        Assert.True(names.Count >= 30, $"only {names.Count} kernels found");
    }

    private static IEnumerable<MethodInfo> KernelMethods() =>
        typeof(IlgpuKernels).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(IlgpuKernels).Namespace && !t.IsGenericTypeDefinition)
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.ReturnType == typeof(void) && !m.IsGenericMethodDefinition && !m.IsSpecialName
                && m.GetParameters().All(p => !p.ParameterType.IsByRef)
                && m.GetParameters().Any(p => p.ParameterType.IsGenericType && p.ParameterType.GetGenericTypeDefinition() == typeof(ArrayView<>)))
            .OrderBy(m => m.DeclaringType!.Name).ThenBy(m => m.Name);

    private static MethodInfo Method(string name) => typeof(PtxLoopCopyTests).GetMethod(name, BindingFlags.Static | BindingFlags.NonPublic)!;

    private struct Iterator(long first, long step, long end)
    {
        private long _next = first;

        public bool Next(out long item)
        {
            item = _next;
            _next += step;
            return item < end;
        }
    }

    private static void IteratorLoop(ArrayView<float> x, ArrayView<float> y, ArrayView<int> rows, int d, int lo)
    {
        var loop = new Iterator(Grid.GlobalIndex.X, GridExtensions.GridStrideLoopStride, x.Length);
        while (loop.Next(out long e))
            if (rows[e / d] >= lo) y[e] = 2 * x[e];
    }

    private static void ForLoop(ArrayView<float> x, ArrayView<float> y, ArrayView<int> rows, int d, int lo)
    {
        for (long e = Grid.GlobalIndex.X; e < x.Length; e += GridExtensions.GridStrideLoopStride)
            if (rows[e / d] >= lo) y[e] = 2 * x[e];
    }
}
