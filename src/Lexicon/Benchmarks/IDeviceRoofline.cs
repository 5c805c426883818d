using Lexicon.Kernels;
using Lexicon.Kernels.Gpu;

namespace Lexicon.Benchmarks;

/// <summary>The roofs of the device a backend runs on, measured there: what <c>lexicon bench</c> divides every
/// kernel's throughput by.</summary>
public interface IDeviceRoofline
{
    /// <summary>Sustained fp32 FMA throughput, GFLOP/s (an FMA counts 2).</summary>
    double MeasureFmaPeakGflops();

    /// <summary>Sustained memory bandwidth, GB/s.</summary>
    double MeasureBandwidthGBs();

    /// <summary>The peak the backend's encoder GEMM runs against, GFLOP/s: the FMA peak in fp32; in tf32 and bf16 the
    /// tensor cores' at that precision (<see cref="TensorCorePeak"/>).</summary>
    double MeasureGemmPeakGflops();
}

/// <summary>Picks the roofline measurement for a backend's device.</summary>
public static class DeviceRoofline
{
    public static IDeviceRoofline For(IKernels kernels) => kernels is IlgpuKernels ilgpu ? new IlgpuRoofline(ilgpu) : new CpuRoofline();
}

/// <summary>The CPU backend's roofs: all cores' FMA peak and the triad bandwidth of DRAM.</summary>
public sealed class CpuRoofline : IDeviceRoofline
{
    public double MeasureFmaPeakGflops() => FmaPeak.Measure();

    public double MeasureBandwidthGBs() => MemoryBandwidth.Measure();

    /// <summary>The FMA peak: the CPU backend computes in fp32.</summary>
    public double MeasureGemmPeakGflops() => MeasureFmaPeakGflops();
}
