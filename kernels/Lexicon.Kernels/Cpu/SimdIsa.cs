using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Lexicon.Kernels.Cpu;

/// <summary>The vector width the CPU kernels run at (in bits; scalar = one lane).</summary>
public enum SimdWidth
{
    Scalar = 32,
    V128 = 128,
    V256 = 256,
    V512 = 512,
}

/// <summary>
/// Which width the CPU kernels use: the widest the machine runs in hardware (Vector256 only with FMA, else its fused
/// multiply-add is emulated), unless LEXICON_SIMD=512|256|128|scalar forces one, or a caller forces one for its own
/// calls (<see cref="Force"/>, for tests: it flows with the calling context, so concurrent callers are not affected).
/// A forced width the hardware lacks still runs — the BCL emulates wider vectors in software — only slowly.
/// Each kernel reads it once at entry and runs its generic body at that width.
/// </summary>
public static class SimdIsa
{
    public const string EnvironmentVariable = "LEXICON_SIMD";

    private static readonly AsyncLocal<SimdWidth?> Forced = new();

    /// <summary>The widest width accelerated here.</summary>
    public static SimdWidth Detected { get; } = Detect();

    // Lazy, not a static initializer: a bad LEXICON_SIMD then surfaces as its own ArgumentException at each use.
    private static readonly Lazy<SimdWidth> FromEnvironment = new(() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable)) ?? Detected);

    /// <summary>The process-wide width: LEXICON_SIMD, else <see cref="Detected"/>.</summary>
    public static SimdWidth Configured => FromEnvironment.Value;

    public static SimdWidth Current => Forced.Value ?? Configured;

    /// <summary>Runs this context's kernel calls at <paramref name="width"/> until disposed.</summary>
    public static IDisposable Force(SimdWidth width)
    {
        var previous = Forced.Value;
        Forced.Value = width;
        return new Restore(previous);
    }

    /// <summary>The instruction set a width means here: avx512, avx2, sse (x86), neon (ARM64), scalar.</summary>
    public static string IsaName(SimdWidth width) => width switch
    {
        SimdWidth.V512 => "avx512",
        SimdWidth.V256 => "avx2",
        SimdWidth.V128 => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 ? "neon" : "sse",
        _ => "scalar",
    };

    /// <summary>Vector registers the JIT may use: 32 with AVX-512 (at every width, through EVEX) and on ARM64, else 16.</summary>
    public static int VectorRegisters { get; } =
        Avx512F.IsSupported || RuntimeInformation.ProcessArchitecture is Architecture.Arm64 ? 32 : 16;

    /// <summary>Floats per vector at a width.</summary>
    public static int Lanes(SimdWidth width) => width == SimdWidth.Scalar ? 1 : (int)width / 32;

    /// <summary>Whether the hardware runs the width (false: the BCL emulates it).</summary>
    public static bool InHardware(SimdWidth width) => width switch
    {
        SimdWidth.V512 => Vector512.IsHardwareAccelerated,
        SimdWidth.V256 => Vector256.IsHardwareAccelerated,
        SimdWidth.V128 => Vector128.IsHardwareAccelerated,
        _ => true,
    };

    public static SimdWidth? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "512" or "avx512" => SimdWidth.V512,
        "256" or "avx2" => SimdWidth.V256,
        "128" or "sse" or "neon" => SimdWidth.V128,
        "scalar" or "32" => SimdWidth.Scalar,
        _ => throw new ArgumentException($"{EnvironmentVariable}={value}: use 512, 256, 128 or scalar"),
    };

    private static SimdWidth Detect()
    {
        if (Vector512.IsHardwareAccelerated) return SimdWidth.V512;
        if (Vector256.IsHardwareAccelerated && (Fma.IsSupported || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.X86)))
            return SimdWidth.V256;
        if (Vector128.IsHardwareAccelerated) return SimdWidth.V128;
        return SimdWidth.Scalar;
    }

    private sealed class Restore(SimdWidth? previous) : IDisposable
    {
        public void Dispose() => Forced.Value = previous;
    }
}
