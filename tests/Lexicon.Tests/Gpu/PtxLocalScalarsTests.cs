using ILGPU.Runtime.Cuda;
using Lexicon.Kernels;
using Lexicon.Kernels.Gpu;

namespace Lexicon.Tests.Gpu;

/// <summary>The rewrite of ILGPU's inline-PTX argument depots into registers: the pattern ILGPU 1.5.3 emits becomes
/// moves, and a depot whose address register is used otherwise, or accessed at another width, is left in memory.</summary>
public sealed class PtxLocalScalarsTests
{
    private const string Emitted = """
        {
        	.local .align 4 .b8 __local_depot0[4];
        	.local .align 4 .b8 __local_depot1[4];
        	.reg .b64	%rd<8>;
        	.reg .f32	%f<6>;
        	mov.b64	%rd3, __local_depot0;
        	mov.b64	%rd4, __local_depot1;
        	st.local.f32	[%rd3], 0f00000000;
        	st.local.f32	[%rd4], %f2;
        	ld.local.f32	%f3, [%rd3];
        	ld.local.f32	%f4, [%rd4];
        	fma.rn.f32 	%f3, %f4, %f4, %f3;
        	st.local.f32	[%rd3], %f3;
        	ld.local.f32	%f5, [%rd3];
        	add.u64	%rd30, %rd1, %rd6;
        }
        """;

    [Fact]
    public void Argument_depots_become_registers_and_their_accesses_moves()
    {
        var (ptx, moved) = PtxLocalScalars.Rewrite(Emitted);
        Assert.Equal(2, moved);
        Assert.DoesNotContain("local", ptx);
        Assert.Contains(".reg .b32 %lexls0;", ptx);
        Assert.Contains("mov.f32\t%lexls0, 0f00000000;", ptx);
        Assert.Contains("mov.f32\t%lexls1, %f2;", ptx);
        Assert.Contains("mov.f32\t%f3, %lexls0;", ptx);
        Assert.Contains("mov.f32\t%f5, %lexls0;", ptx);
        Assert.Contains("fma.rn.f32 \t%f3, %f4, %f4, %f3;", ptx);
        // %rd30 is not %rd3.
        Assert.Contains("add.u64\t%rd30, %rd1, %rd6;", ptx);
    }

    [Fact]
    public void A_depot_whose_address_register_is_reused_stays_in_memory()
    {
        string reused = Emitted.Replace("add.u64\t%rd30, %rd1, %rd6;", "add.u64\t%rd3, %rd1, %rd6;");
        var (ptx, moved) = PtxLocalScalars.Rewrite(reused);
        Assert.Equal(1, moved);
        Assert.Contains("ld.local.f32\t%f3, [%rd3];", ptx);
        Assert.Contains("mov.f32\t%f4, %lexls1;", ptx);
    }

    /// <summary>The path CUDA loads through, without a GPU: the compiled kernel's text is replaced (ILGPU's private
    /// field is where it was), and what is left has no local memory at all.</summary>
    [Theory]
    [InlineData(Precision.Tf32)]
    [InlineData(Precision.Bf16)]
    public void The_tensor_core_kernel_as_cuda_loads_it_has_no_local_memory(Precision precision)
    {
        var raw = PtxLoopCopies.Compile(TensorCoreGemm.KernelMethod(precision), TensorCoreGemm.Threads);
        Assert.Contains("st.local", raw);
        string loaded = PtxLoopCopies.CompileAsLoaded(TensorCoreGemm.KernelMethod(precision), TensorCoreGemm.Specialization, CudaInstructionSet.ISA_80);
        Assert.DoesNotContain(".local", loaded);
        Assert.Contains("mma.sync.aligned", loaded);
    }

    [Fact]
    public void A_depot_accessed_at_another_width_or_offset_stays_in_memory()
    {
        string wide = Emitted.Replace("__local_depot1[4]", "__local_depot1[8]");
        Assert.Equal(1, PtxLocalScalars.Rewrite(wide).Moved);
        string offset = Emitted.Replace("ld.local.f32\t%f4, [%rd4];", "ld.local.f32\t%f4, [%rd4+4];");
        Assert.Equal(1, PtxLocalScalars.Rewrite(offset).Moved);
    }
}
