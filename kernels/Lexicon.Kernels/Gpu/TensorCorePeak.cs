using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The tensor-core peak of a device at a precision as <see cref="Mma"/> reaches it: every warp of a full grid runs
/// <see cref="Chains"/> independent chains of <c>mma.m16n8k8</c> (TF32: 2·16·8·8 FLOPs) or <c>m16n8k16</c> (BF16:
/// 2·16·8·16) on register operands, loaded
/// as <see cref="TensorCoreGemm"/> is (<see cref="PtxKernels"/>), so the peak is that of the instruction the GEMM uses,
/// what <c>lexicon bench</c> divides a tensor-core GEMM by. The median of 3 runs of about 0.2 s.
/// </summary>
public static class TensorCorePeak
{
    private const int Chains = 4, Repeats = 3;
    private const double TargetSeconds = 0.2;

    internal static System.Reflection.MethodInfo KernelMethod(Precision precision) =>
        typeof(TensorCorePeak).GetMethod(precision == Precision.Bf16 ? nameof(KernelBf16) : nameof(KernelTf32),
            System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!;

    /// <summary>At the backend's precision (tf32 or bf16).</summary>
    public static double MeasureGflops(IlgpuKernels kernels)
    {
        var accelerator = kernels.Accelerator;
        if (kernels.Precision == Precision.Fp32) throw new InvalidOperationException("fp32 has no tensor-core peak here");
        if (!TensorCoreGemm.Runs(accelerator)) throw new InvalidOperationException($"{kernels.Name} has no tensor cores to measure");
        var kernel = PtxKernels.Load<Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, float>>(accelerator,
            KernelMethod(kernels.Precision), TensorCoreGemm.Specialization);
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
        var results = Enumerable.Range(0, Repeats).Select(_ => warps * iterations * Chains * 2.0 * 16 * 8 * (kernels.Precision == Precision.Bf16 ? 16 : 8) / Run(iterations) / 1e9).Order().ToArray();
        return results[Repeats / 2];
    }

    /// <summary>Operands from <paramref name="seed"/> (not constants, which nothing could fold anyway), the chains' sum
    /// stored so none is dead.</summary>
    private static void KernelTf32(ArrayView<float> sink, int iterations, float seed) => Body(sink, iterations, seed, false);

    private static void KernelBf16(ArrayView<float> sink, int iterations, float seed) => Body(sink, iterations, seed, true);

    private static void Body(ArrayView<float> sink, int iterations, float seed, bool bf16)
    {
        uint x = Precisions.Tf32Bits(Interop.FloatAsInt(seed)), y = Precisions.Tf32Bits(Interop.FloatAsInt(-seed));
        if (bf16)
        {
            x = Precisions.Bf16Bits(x) * 0x10001u;
            y = Precisions.Bf16Bits(y) * 0x10001u;
        }
        var a = new AFragment { A0 = x, A1 = y, A2 = x, A3 = y };
        var b = new BFragment { B0 = y, B1 = x };
        Accumulator c0 = default, c1 = default, c2 = default, c3 = default;
        for (int i = 0; i < iterations; i++)
        {
            Mma.Run(ref c0, a, b, bf16);
            Mma.Run(ref c1, a, b, bf16);
            Mma.Run(ref c2, a, b, bf16);
            Mma.Run(ref c3, a, b, bf16);
        }
        sink[Grid.GlobalIndex.X] = c0.C0 + c1.C1 + c2.C2 + c3.C3;
    }
}
