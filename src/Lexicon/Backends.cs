using ILGPU;
using ILGPU.Backends.OpenCL;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;
using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;
using Lexicon.Kernels.Gpu;

namespace Lexicon;

/// <summary>A device as <c>lexicon devices</c> lists it: <see cref="Backend"/> is the name to pass to --device
/// (cuda, cuda:1, opencl, ilgpu-cpu, cpu); a device ILGPU sees but cannot run on is listed with Usable false. Isa: the
/// instruction set the CPU backend's kernels run with (avx512, avx2, neon, sse, scalar), null for other backends.</summary>
public sealed record DeviceInfo(string Backend, string Name, long MemoryBytes, string Detail, bool Usable = true, string? Isa = null);

/// <summary>
/// Chooses the kernels for <c>--device</c>: cpu (the managed SIMD backend), cuda, opencl or ilgpu-cpu (ILGPU's CPU
/// emulator, for testing the GPU kernels anywhere). Without --device: the first CUDA device if there is one, else cpu.
/// ILGPU devices are discovered once, in the process's one ILGPU context.
/// </summary>
public static class Backends
{
    private const string Cuda = "cuda", OpenCl = "opencl", IlgpuCpu = "ilgpu-cpu", Cpu = "cpu";

    private static readonly Lazy<IlgpuDiscovery> Ilgpu = new(IlgpuDiscovery.Run);

    public static IReadOnlyList<DeviceInfo> List() =>
    [
        new DeviceInfo(Cpu, $"{Environment.ProcessorCount}-core {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture} CPU",
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            $"managed SIMD: {CpuSimd()}, {Environment.ProcessorCount} threads", Isa: SimdIsa.IsaName(SimdIsa.Current)),
        .. Ilgpu.Value.Devices.Select(d => d.Info),
    ];

    /// <summary>The CPU kernels' width, how it was chosen, and whether the hardware runs it.</summary>
    private static string CpuSimd()
    {
        var width = SimdIsa.Current;
        string how = width == SimdIsa.Detected ? "the widest here" : $"forced by {SimdIsa.EnvironmentVariable}, {(int)SimdIsa.Detected}-bit detected";
        return $"{SimdIsa.IsaName(width)}, {(int)width}-bit vectors {(SimdIsa.InHardware(width) ? "in hardware" : "emulated")} ({how})";
    }

    /// <summary>The instruction set of a backend's kernels: the CPU backend's (<see cref="SimdIsa"/>), else null.</summary>
    public static string? Isa(IKernels kernels) => kernels is CpuKernels ? SimdIsa.IsaName(SimdIsa.Current) : null;

    /// <summary>Whether a backend's arrays live in host memory (the managed CPU backend, ILGPU's CPU accelerator).</summary>
    public static bool InHostMemory(IKernels kernels) => kernels.Name is "cpu" || kernels.Name.StartsWith("ilgpu-cpu", StringComparison.Ordinal);

    /// <summary>The device memory of a GPU backend (null for backends in host memory).</summary>
    public static long? DeviceMemory(IKernels kernels) =>
        !InHostMemory(kernels) && kernels is Kernels.Gpu.IlgpuKernels ilgpu ? ilgpu.Accelerator.MemorySize : null;

    /// <param name="precision">The encoder GEMM's (<c>--precision</c>): tf32 needs tensor cores, i.e. CUDA.</param>
    public static IKernels Create(string? device, Precision precision = Precision.Fp32) => CreateWith(device, null, 0, precision);

    /// <summary>The backend for <c>--device</c>, running kept variant <paramref name="variant"/> of <paramref name="op"/>.</summary>
    public static IKernels Create(string? device, string op, int variant, Precision precision = Precision.Fp32)
    {
        Variant(device, op, variant);
        return CreateWith(device, op, variant, precision);
    }

    private static IKernels CreateWith(string? device, string? op, int variant, Precision precision)
    {
        string name = Resolve(device);
        if (name == Cpu && precision != Precision.Fp32)
            throw new BadInputException($"--precision {Precisions.Name(precision)}: the cpu backend computes in fp32 (tensor-core precisions need --device cuda)");
        if (name == Cpu) return op is null ? new CpuKernels() : new CpuKernels(op, variant);
        var match = Ilgpu.Value.Devices.FirstOrDefault(d => d.Info.Usable && d.Info.Backend == name);
        if (match is not null)
        {
            var accelerator = match.Device!.CreateAccelerator(Ilgpu.Value.Context);
            try
            {
                return new IlgpuKernels(accelerator, name, op, variant, precision);
            }
            catch (ArgumentException e) when (e.ParamName == "precision")
            {
                accelerator.Dispose();
                throw new BadInputException($"--precision {Precisions.Name(precision)}: {e.Message.Split(" (Parameter")[0]}");
            }
            catch
            {
                accelerator.Dispose(); // the kernels own it only once constructed
                throw;
            }
        }
        string kind = name.Split(':')[0];
        if (kind is Cuda or OpenCl or IlgpuCpu)
            throw new BadInputException($"--device {name}: no usable {Describe(kind)} device here{Ilgpu.Value.Why(kind)} (see `lexicon devices`)");
        throw new BadInputException($"--device '{name}' is not a backend (use cpu, cuda, opencl or ilgpu-cpu; see `lexicon devices`)");
    }

    /// <summary>The kept variants of an operation on a device's backend (DESIGN.md §2), listed in <see cref="CpuVariants"/>
    /// and <see cref="Kernels.Gpu.IlgpuVariants"/>.</summary>
    public static IReadOnlyList<KernelVariant> Variants(string? device, string op) =>
        Resolve(device) == Cpu ? CpuVariants.Of(op) : Kernels.Gpu.IlgpuVariants.Of(op);

    /// <summary>Kept variant <paramref name="number"/> of an operation on a device's backend.</summary>
    public static KernelVariant Variant(string? device, string op, int number)
    {
        var kept = Variants(device, op);
        return kept.FirstOrDefault(v => v.Number == number)
            ?? throw new BadInputException($"--variant {number}: {op} has {kept.Count} kept variant(s) on {Resolve(device)} (1{(kept.Count > 1 ? $" to {kept.Count}" : "")})");
    }

    /// <summary>The device a --device value names: without one, the first CUDA device if there is one, else cpu.</summary>
    private static string Resolve(string? device) =>
        device ?? (Ilgpu.Value.Devices.Any(d => d.Info.Usable && d.Info.Backend == Cuda) ? Cuda : Cpu);

    private static string Describe(string kind) => kind switch
    {
        Cuda => "CUDA",
        OpenCl => "OpenCL",
        _ => "ILGPU CPU",
    };

    /// <summary>An ILGPU device of a kind (cuda, opencl, ilgpu-cpu) with the --device name it answers to (null Device:
    /// a backend that failed to load).</summary>
    private sealed record IlgpuDevice(string Kind, DeviceInfo Info, Device? Device);

    /// <summary>The ILGPU context and what it found. OpenCL devices are all registered so that the unusable ones can be
    /// listed with the reason (ILGPU needs OpenCL C 2.0+ with generic address space); a backend whose driver fails
    /// to load is listed as unusable instead of failing the listing.</summary>
    private sealed class IlgpuDiscovery
    {
        public required Context Context { get; init; }
        public required IReadOnlyList<IlgpuDevice> Devices { get; init; }

        public string Why(string kind) =>
            Devices.FirstOrDefault(d => !d.Info.Usable && d.Kind == kind) is { } unusable
                ? $" ({unusable.Info.Name}: {unusable.Info.Detail})"
                : "";

        public static IlgpuDiscovery Run()
        {
            var failures = new List<IlgpuDevice>();
            var context = Context.Create(b =>
            {
                Register(() => b.Cuda(), Cuda, failures);
                Register(() => b.OpenCL(_ => true), OpenCl, failures);
                b.DefaultCPU().EnableAlgorithms();
            });
            var devices = new List<IlgpuDevice>();
            int cuda = 0, openCl = 0;
            foreach (var device in context.Devices)
            {
                switch (device)
                {
                    case CudaDevice d:
                        devices.Add(new(Cuda, new DeviceInfo(Numbered(Cuda, cuda++), d.Name, d.MemorySize,
                            $"CUDA {d.Architecture?.ToString() ?? "unknown architecture"}, {d.NumMultiprocessors} SMs, driver {d.DriverVersion}"), d));
                        break;
                    case CLDevice d:
                        string version = $"OpenCL C {d.CLStdVersion.Major}.{d.CLStdVersion.Minor}, {d.PlatformName}";
                        devices.Add(d.CLStdVersion >= new CLCVersion(2, 0) && d.Capabilities.GenericAddressSpace
                            ? new(OpenCl, new DeviceInfo(Numbered(OpenCl, openCl++), d.Name, d.MemorySize, $"{version}, {d.NumMultiprocessors} compute units"), d)
                            : new(OpenCl, new DeviceInfo("-", d.Name, d.MemorySize,
                                $"{version}: unusable, ILGPU needs OpenCL C 2.0+ with generic address space", false), null));
                        break;
                    case CPUDevice d:
                        devices.Add(new(IlgpuCpu, new DeviceInfo(IlgpuCpu, "ILGPU CPU accelerator", GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
                            $"emulates a GPU with {d.WarpSize}-thread warps, {d.MaxNumThreadsPerGroup} threads per group: for testing the GPU kernels, slow"), d));
                        break;
                }
            }
            return new IlgpuDiscovery { Context = context, Devices = [.. devices, .. failures] };
        }

        private static string Numbered(string kind, int ordinal) => ordinal == 0 ? kind : $"{kind}:{ordinal}";

        private static void Register(Action register, string kind, List<IlgpuDevice> failures)
        {
            try
            {
                register();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add(new(kind, new DeviceInfo("-", $"{Describe(kind)} driver", 0, $"unusable: {e.Message.ReplaceLineEndings(" ")}", false), null));
            }
        }
    }
}
