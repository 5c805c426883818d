using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The TF32 tensor-core peak of a device as <see cref="MmaTf32"/> reaches it: every warp of a full grid runs
/// <see cref="Chains"/> independent chains of <c>mma.m16n8k8</c> on register operands (2·16·8·8 FLOPs each), loaded
/// as <see cref="TensorCoreGemm"/> is (<see cref="PtxKernels"/>), so the peak is that of the instruction the GEMM uses,
/// what <c>lexicon bench</c> divides a TF32 GEMM by. The median of 3 runs of about 0.2 s.
/// </summary>
public static class TensorCorePeak
{
    private const int Chains = 4, Repeats = 3;
    private const double TargetSeconds = 0.2;

    internal static System.Reflection.MethodInfo KernelMethod =>
        typeof(TensorCorePeak).GetMethod(nameof(Kernel), System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!;

    public static double MeasureGflops(IlgpuKernels kernels)
    {
        var accelerator = kernels.Accelerator;
        if (!TensorCoreGemm.Runs(accelerator)) throw new InvalidOperationException($"{kernels.Name} has no tensor cores to measure");
        var kernel = PtxKernels.Load<Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, float>>(accelerator, KernelMethod,
            TensorCoreGemm.Specialization);
        int groups = Math.Max(1, accelerator.NumMultiprocessors) * Math.Max(1, accelerator.MaxNumThreadsPerMultiprocessor / TensorCoreGemm.Threads) * 4;
        var config = new KernelConfig(groups, TensorCoreGemm.Threads);
        long warps = (long)groups * TensorCoreGemm.Threads / 32;
        using var sink = accelerator.Allocate1D<float>((long)groups * TensorCoreGemm.Threads);
        double Run(int iterations)
        {
            var clock = Stopwatch.StartNew();
            kernel(accelerator.DefaultStream, config, sink.View, iterations, 1e-3f);
            accelerator.Synchronize();
            return clock.Elapsed.TotalSeconds;
        }
        int iterations = 64;
        double seconds;
        while ((seconds = Run(iterations)) < TargetSeconds / 4 && iterations < 1 << 24) iterations *= 2;
        iterations = (int)Math.Clamp(iterations * TargetSeconds / seconds, 1, int.MaxValue / 2);
        var results = Enumerable.Range(0, Repeats).Select(_ => warps * iterations * Chains * 2.0 * 16 * 8 * 8 / Run(iterations) / 1e9).Order().ToArray();
        return results[Repeats / 2];
    }

    /// <summary>Operands from <paramref name="seed"/> (not constants, which nothing could fold anyway), the chains' sum
    /// stored so none is dead.</summary>
    private static void Kernel(ArrayView<float> sink, int iterations, float seed)
    {
        uint x = Precisions.Tf32Bits(Interop.FloatAsInt(seed)), y = Precisions.Tf32Bits(Interop.FloatAsInt(-seed));
        var a = new AFragment { A0 = x, A1 = y, A2 = x, A3 = y };
        var b = new BFragment { B0 = y, B1 = x };
        Accumulator c0 = default, c1 = default, c2 = default, c3 = default;
        for (int i = 0; i < iterations; i++)
        {
            MmaTf32.Run(ref c0, a, b);
            MmaTf32.Run(ref c1, a, b);
            MmaTf32.Run(ref c2, a, b);
            MmaTf32.Run(ref c3, a, b);
        }
        sink[Grid.GlobalIndex.X] = c0.C0 + c1.C1 + c2.C2 + c3.C3;
    }
}
