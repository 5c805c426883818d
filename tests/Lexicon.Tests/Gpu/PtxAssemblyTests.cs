using System.Diagnostics;
using ILGPU.Runtime.Cuda;
using Lexicon.Kernels;
using Lexicon.Kernels.Gpu;

namespace Lexicon.Tests.Gpu;

/// <summary>
/// The tensor-core GEMM's and peak probe's PTX as CUDA loads it (its inline <c>mma.sync</c> included, its arguments moved into registers
/// by <c>PtxLocalScalars</c>) assembles for an H100 (sm_90) with NVIDIA's <c>ptxas</c> with no stack frame and no
/// spills, i.e. no local memory at all: the checks a GPU would otherwise make first. PTX ISA 7.8 (CUDA 11.8's ptxas reads no later; the kernel uses nothing later). Needs ptxas (on PATH, or the file <c>LEXICON_PTXAS</c> names; Debian's
/// nvidia-cuda-toolkit has it); skipped without. <c>LEXICON_PTX_KEEP=path</c> keeps the PTX there and ptxas's report
/// beside it, for reading the SASS.
/// </summary>
public sealed class PtxAssemblyTests
{
    [SkippableTheory]
    [InlineData(nameof(TensorCoreGemm), Precision.Tf32)]
    [InlineData(nameof(TensorCoreGemm), Precision.Bf16)]
    [InlineData(nameof(TensorCorePeak), Precision.Tf32)]
    [InlineData(nameof(TensorCorePeak), Precision.Bf16)]
    public void Tensor_core_kernel_assembles_for_sm_90_without_local_memory(string kernel, Precision precision)
    {
        string? ptxas = Ptxas();
        Skip.If(ptxas is null, "no ptxas here (set LEXICON_PTXAS, or install Debian's nvidia-cuda-toolkit)");
        string dir = Directory.CreateTempSubdirectory("lexicon-ptxas-").FullName;
        try
        {
            string ptx = Path.Combine(dir, "kernel.ptx");
            var method = kernel == nameof(TensorCoreGemm) ? TensorCoreGemm.KernelMethod(precision) : TensorCorePeak.KernelMethod(precision);
            File.WriteAllText(ptx, PtxLoopCopies.CompileAsLoaded(method, TensorCoreGemm.Specialization, CudaInstructionSet.ISA_78));
            var info = Start(ptxas!, $"-arch=sm_90 -v -o {Path.Combine(dir, "kernel.cubin")} {ptx}");
            Assert.True(info.ExitCode == 0, $"ptxas failed:\n{info.Output}");
            if (Environment.GetEnvironmentVariable("LEXICON_PTX_KEEP") is { } keep)
            {
                File.Copy(ptx, keep, true);
                File.WriteAllText(keep + ".log", info.Output);
            }
            Assert.True(info.Output.Contains(" 0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads"), info.Output);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static string? Ptxas()
    {
        string? named = Environment.GetEnvironmentVariable("LEXICON_PTXAS");
        if (!string.IsNullOrEmpty(named)) return File.Exists(named) ? named : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(p => Path.Combine(p, "ptxas")).FirstOrDefault(File.Exists);
    }

    private static (int ExitCode, string Output) Start(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
