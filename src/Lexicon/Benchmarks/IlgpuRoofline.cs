using System.Diagnostics;
using ILGPU;
using ILGPU.Runtime;
using Lexicon.Kernels.Gpu;

namespace Lexicon.Benchmarks;

/// <summary>
/// The roofs of an ILGPU device, measured with two small kernels on it: every thread of a full grid runs
/// <see cref="Chains"/> independent FMA chains (enough to cover the FMA latency), and a STREAM-style triad
/// a = b + s·c runs over arrays far larger than any cache (bytes counted as 3 × 4 per element).
/// </summary>
public sealed class IlgpuRoofline : IDeviceRoofline
{
    private const int Chains = 8;
    private const double TargetSeconds = 0.2;

    private readonly IlgpuKernels _kernels;
    private readonly Action<KernelConfig, ArrayView<float>, int, float, float> _fma;
    private readonly Action<KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, float> _triad;

    public IlgpuRoofline(IlgpuKernels kernels)
    {
        _kernels = kernels;
        _fma = kernels.Accelerator.LoadStreamKernel<ArrayView<float>, int, float, float>(FmaChains);
        _triad = kernels.Accelerator.LoadStreamKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, float>(Triad);
    }

    /// <summary>A few groups per multiprocessor, enough to fill the device (groups of the backend's size).</summary>
    private KernelConfig FullGrid => FullGridOf(_kernels.GroupSize);

    /// <summary>A few groups of <paramref name="groupSize"/> per multiprocessor.</summary>
    private KernelConfig FullGridOf(int groupSize)
    {
        var a = _kernels.Accelerator;
        int perMultiprocessor = Math.Max(1, a.MaxNumThreadsPerMultiprocessor / groupSize);
        return new KernelConfig(Math.Max(1, a.NumMultiprocessors) * perMultiprocessor * 4, groupSize);
    }

    /// <summary>One element per thread in the largest groups the device takes (up to 1024: PoCL pays per group), except
    /// on ILGPU's CPU emulator, where every group is a hand-off between OS threads.</summary>
    private KernelConfig Elementwise(long n)
    {
        var a = _kernels.Accelerator;
        if (a.AcceleratorType == AcceleratorType.CPU) return FullGrid;
        int group = Math.Min(1024, a.MaxNumThreadsPerGroup);
        return new KernelConfig((int)Math.Min(int.MaxValue / group, (n + group - 1) / group), group);
    }

    public double MeasureFmaPeakGflops()
    {
        var config = FullGrid;
        using var sink = _kernels.Accelerator.Allocate1D<float>(config.GridDim.Size * config.GroupDim.Size);
        return MedianGflops(iterations =>
        {
            var clock = Stopwatch.StartNew();
            _fma(config, sink.View, iterations, 0.999999f, 1e-6f);
            _kernels.Synchronize();
            return clock.Elapsed.TotalSeconds;
        }, 256, (double)sink.Length * Chains * 2);
    }

    public double MeasureGemmPeakGflops()
    {
        if (_kernels.Precision == Lexicon.Kernels.Precision.Fp32) return MeasureFmaPeakGflops();
        using var probe = new TensorCorePeak(_kernels, FullGridOf(TensorCorePeak.GroupSize));
        return MedianGflops(probe.Seconds, 64, probe.FlopsPerIteration);
    }

    /// <summary>A roof kernel's rate: iterations doubled until a run takes a quarter of <see cref="TargetSeconds"/>,
    /// scaled to the target, then the median of 3 runs.</summary>
    private static double MedianGflops(Func<int, double> seconds, int iterations, double flopsPerIteration)
    {
        const int repeats = 3;
        double first;
        while ((first = seconds(iterations)) < TargetSeconds / 4 && iterations < 1 << 28) iterations *= 2;
        iterations = (int)Math.Clamp(iterations * TargetSeconds / first, 1, int.MaxValue / 2);
        var results = Enumerable.Range(0, repeats).Select(_ => flopsPerIteration * iterations / seconds(iterations) / 1e9).Order().ToArray();
        return results[repeats / 2];
    }

    public double MeasureBandwidthGBs()
    {
        const int repeats = 5;
        var a = _kernels.Accelerator;
        long n = Math.Min(32L << 20, a.MemorySize / 4 / 16); // 128 MiB per array, at most a sixteenth of the device's memory in all
        using var x = a.Allocate1D<float>(n);
        using var y = a.Allocate1D<float>(n);
        using var z = a.Allocate1D<float>(n);
        y.MemSetToZero();
        z.MemSetToZero();
        var config = Elementwise(n);
        _triad(config, x.View, y.View, z.View, 3f);
        _kernels.Synchronize();
        var results = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            _triad(config, x.View, y.View, z.View, 3f);
            _kernels.Synchronize();
            results[r] = 12.0 * n / clock.Elapsed.TotalSeconds / 1e9;
        }
        Array.Sort(results);
        return results[repeats / 2];
    }

    private static void FmaChains(ArrayView<float> sink, int iterations, float m, float c)
    {
        int thread = Grid.IdxX * Group.DimX + Group.IdxX;
        float a0 = thread * 1e-9f, a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3, a4 = a0 + 4, a5 = a0 + 5, a6 = a0 + 6, a7 = a0 + 7;
        for (int i = 0; i < iterations; i++)
        {
            a0 = a0 * m + c;
            a1 = a1 * m + c;
            a2 = a2 * m + c;
            a3 = a3 * m + c;
            a4 = a4 * m + c;
            a5 = a5 * m + c;
            a6 = a6 * m + c;
            a7 = a7 * m + c;
        }
        sink[thread] = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7; // keeps the chains alive
    }

    private static void Triad(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, float s)
    {
        for (long i = (long)Grid.IdxX * Group.DimX + Group.IdxX; i < a.Length; i += (long)Grid.DimX * Group.DimX)
            a[i] = b[i] + s * c[i];
    }
}
