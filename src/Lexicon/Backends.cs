using System.Runtime.Intrinsics;
using Lexicon.Kernels;
using Lexicon.Kernels.Cpu;

namespace Lexicon;

/// <summary>A device a run can use, as <c>lexicon devices</c> lists it.</summary>
public sealed record DeviceInfo(string Backend, string Name, long MemoryBytes, string Detail);

/// <summary>Chooses the kernels for <c>--device</c>.</summary>
public static class Backends
{
    public static IReadOnlyList<DeviceInfo> List() =>
    [
        new DeviceInfo("cpu", $"{Environment.ProcessorCount}-core {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture} CPU",
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            $"managed SIMD: Vector512 {(Vector512.IsHardwareAccelerated ? "in hardware" : "emulated")}, {Environment.ProcessorCount} threads"),
    ];

    public static IKernels Create(string? device)
    {
        string name = device ?? "cpu";
        return name switch
        {
            "cpu" => new CpuKernels(),
            _ => throw new BadInputException(
                $"--device '{name}' is not available here (available: {string.Join(", ", List().Select(d => d.Backend))})"),
        };
    }
}
