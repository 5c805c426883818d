using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;

namespace Lexicon.Kernels.Gpu;

/// <summary>
/// The kernel that measures a device's tensor-core peak at the backend's precision as <see cref="Mma"/> reaches it:
/// every warp of a full grid runs <see cref="Chains"/> independent chains of <c>mma.m16n8k8</c> (TF32: 2·16·8·8 FLOPs)
/// or <c>m16n8k16</c> (BF16: 2·16·8·16) on register operands, loaded as <see cref="TensorCoreGemm"/> is
/// (<see cref="PtxKernels"/>), so the peak is that of the instruction the GEMM uses: what <c>lexicon bench</c> divides a
/// tensor-core GEMM by (the timing policy is the roofline's, <c>IlgpuRoofline</c>).
/// </summary>
public sealed class TensorCorePeak : IDisposable
{
    private const int Chains = 4;

    private readonly IlgpuKernels _kernels;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, float> _kernel;
    private readonly KernelConfig _config;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _sink;

    /// <summary>Threads per group of the probe (the GEMM's).</summary>
    public const int GroupSize = TensorCoreGemm.Threads;

    /// <param name="kernels">A backend made at tf32 or bf16.</param>
    /// <param name="grid">The launch: groups of <see cref="GroupSize"/>, enough to fill the device.</param>
    public TensorCorePeak(IlgpuKernels kernels, KernelConfig grid)
    {
        var accelerator = kernels.Accelerator;
        if (kernels.Precision == Precision.Fp32 || !TensorCoreGemm.Runs(accelerator))
            throw new InvalidOperationException($"{kernels.Name} ({Precisions.Name(kernels.Precision)}) has no tensor-core peak to measure");
        _kernels = kernels;
        _kernel = PtxKernels.Load<Action<AcceleratorStream, KernelConfig, ArrayView<float>, int, float>>(accelerator,
            KernelMethod(kernels.Precision), TensorCoreGemm.Specialization);
        if (grid.GroupDim.Size != GroupSize) throw new ArgumentException($"groups of {GroupSize}, not {grid.GroupDim.Size}", nameof(grid));
        _config = grid;
        _sink = accelerator.Allocate1D<float>((long)grid.GridDim.Size * GroupSize);
        FlopsPerIteration = _sink.Length / 32 * Chains * 2.0 * 16 * 8 * (kernels.Precision == Precision.Bf16 ? 16 : 8);
    }

    /// <summary>FLOPs of one iteration over the whole grid (every warp's chains).</summary>
    public double FlopsPerIteration { get; }

    internal static System.Reflection.MethodInfo KernelMethod(Precision precision) =>
        typeof(TensorCorePeak).GetMethod(precision == Precision.Bf16 ? nameof(KernelBf16) : nameof(KernelTf32),
            System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic)!;

    /// <summary>Seconds for one run of <paramref name="iterations"/>, waited for.</summary>
    public double Seconds(int iterations)
    {
        var clock = Stopwatch.StartNew();
        _kernel(_kernels.Accelerator.DefaultStream, _config, _sink.View, iterations, 1e-3f);
        _kernels.Synchronize();
        return clock.Elapsed.TotalSeconds;
    }

    public void Dispose() => _sink.Dispose();

    private static void KernelTf32(ArrayView<float> sink, int iterations, float seed) => Body(sink, iterations, seed, false);

    private static void KernelBf16(ArrayView<float> sink, int iterations, float seed) => Body(sink, iterations, seed, true);

    /// <summary>Operands from <paramref name="seed"/> (not constants, which nothing could fold anyway), the chains' sum
    /// stored so none is dead.</summary>
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
