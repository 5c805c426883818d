using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;

namespace Lexicon.Kernels.Cpu;

/// <summary>The encoder GEMM's machine-dependent choices: the register tile's height (rows × 32 latents), the bytes
/// of packed weights per cache block, and how far ahead (bytes, 0: not at all) the micro-kernel prefetches the weights.
/// None changes a result: each output is one FMA chain over d, in order.</summary>
/// <param name="DepthBlock">Steps of d per pass over a group of tiles (0: all of d in one pass, the default).</param>
public readonly record struct GemmShape(int Rows, int BlockBytes, int PrefetchBytes = 0, int DepthBlock = 0)
{
    /// <summary>What the kernels were first tuned with (6 × 32, 512 KB, no prefetch); what tests and
    /// LEXICON_TUNING=defaults use.</summary>
    public static GemmShape Default { get; } = new(6, 512 * 1024);

    public override string ToString() =>
        $"{Rows}x32 tile, {BlockBytes / 1024} KiB blocks, " + (PrefetchBytes == 0 ? "no prefetch" : $"prefetch {PrefetchBytes} B ahead")
        + (DepthBlock == 0 ? "" : $", d in blocks of {DepthBlock}");
}

/// <summary>How the shape in use was chosen: "defaults", "cache" (an earlier probe's, on this CPU model and ISA) or
/// "probe" (measured now), the probe's time and its trials (GFLOP/s per candidate), and where it is cached; with the
/// row gathers' prefetch distance (entries ahead) and its trials.</summary>
public sealed record CpuTuningInfo(GemmShape Shape, string Source, double ProbeSeconds, string CpuModel, string Isa, string? CachePath,
    IReadOnlyList<GemmTrial> Trials, string? Note = null)
{
    /// <summary>The latents of the GEMM probe's problem (<see cref="GemmProbe.Latents"/>, fewer on a machine too slow for
    /// it); 0 where nothing was probed.</summary>
    public int ProbeLatents { get; init; }
    public int GatherAhead { get; init; } = Simd.PrefetchDistance;
    public IReadOnlyList<GatherTrial> GatherTrials { get; init; } = [];
    /// <summary>SparseWeightGrads' prefetch distance (entries ahead, 0: none) and its trials.</summary>
    public int WeightGradAhead { get; init; }
    public IReadOnlyList<GatherTrial> WeightGradTrials { get; init; } = [];
}

/// <summary>One candidate shape's speed in <see cref="GemmProbe"/>.</summary>
public sealed record GemmTrial(GemmShape Shape, double Gflops);

/// <summary>One prefetch distance's time in <see cref="GatherProbe"/> (SparseDecode + LatentGrad, or SparseWeightGrads).</summary>
public sealed record GatherTrial(int Ahead, double Milliseconds);

/// <summary>
/// The tuned <see cref="GemmShape"/> and gather prefetch distance. The defaults unless a process opts in with <see cref="Enable"/> (the command
/// line does; tests do not, so their runs are deterministic in time as well as in bits). Opted in, the first use
/// reads the choice cached for this CPU model and ISA in the user's cache directory, or runs <see cref="GemmProbe"/> and
/// <see cref="GatherProbe"/> (≤ 2 s together) and caches it; <see cref="Retune"/> (lexicon tune) probes again; LEXICON_TUNING=defaults takes the defaults.
/// </summary>
public static class CpuTuning
{
    public const string EnvironmentVariable = "LEXICON_TUNING";

    /// <summary>Seconds the first use (or lexicon tune) may spend probing.</summary>
    public const double ProbeBudget = 2.0;
    // 2: with the GEMM's prefetch distance; 3: the gathers'; 4: SparseWeightGrads'; 5: emulated widths apart (a 4 may hold
    // an emulated probe's choice under the hardware's name), the probe's latents; 6: the depth block, trials as shapes
    private const int CacheVersion = 6;
    private static readonly Lock Gate = new();
    private static bool _enabled;
    private static CpuTuningInfo? _info;

    public static GemmShape Shape => Info.Shape;

    /// <summary>How many entries ahead the row gathers (SparseDecode, LatentGrad, TableGather, TableGrads) prefetch.</summary>
    public static int GatherAhead => Info.GatherAhead;

    /// <summary>How many entries ahead SparseWeightGrads prefetches its gathered rows (0: none).</summary>
    public static int WeightGradAhead => Info.WeightGradAhead;

    public static CpuTuningInfo Info
    {
        get
        {
            lock (Gate) return _info ??= Resolve();
        }
    }

    /// <summary>Lets the first use load or probe a tuned shape (before it, the defaults are all a process sees).</summary>
    public static void Enable()
    {
        lock (Gate) _enabled = true;
    }

    /// <summary>Probes now, caches the result, and uses it from here on (unless LEXICON_TUNING=defaults).</summary>
    public static CpuTuningInfo Retune()
    {
        lock (Gate)
        {
            _enabled = true;
            return _info = TakesDefaults() ? Defaults("LEXICON_TUNING=defaults") : ProbeAndCache();
        }
    }

    /// <summary>Tile heights the machine's vector registers hold: 2 per row, plus two weight vectors and a broadcast.</summary>
    public static int[] RowCandidates()
    {
        return [.. new[] { 4, 6, 8, 12, 14 }.Where(r => 2 * r + 3 <= SimdIsa.VectorRegisters)];
    }

    /// <summary>Prefetch distances: none, and 2 to 16 steps of the d loop ahead (a step reads 128 B of a panel), where the
    /// ISA has a prefetch instruction .NET exposes (x86's; elsewhere only none).</summary>
    public static int[] PrefetchCandidates() => Sse.IsSupported ? [0, 256, 512, 1024, 2048] : [0];

    /// <summary>Gather prefetch distances (entries ahead; the default first), where the ISA has a prefetch instruction .NET
    /// exposes.</summary>
    public static int[] GatherCandidates() => Sse.IsSupported ? [Simd.PrefetchDistance, 1, 4, 8] : [Simd.PrefetchDistance];

    /// <summary>SparseWeightGrads' distances: none (its default) or 2 to 8 entries ahead, where x86's prefetch exists.</summary>
    public static int[] WeightGradCandidates() => Sse.IsSupported ? [0, 2, 4, 8] : [0];

    /// <summary>Depth blocks: none (all of d per pass, the default), and 128 or 256 steps: 16 KB of a panel, which a
    /// 32 KB L1 holds beside the input, or 32 KB, for a 48 KB one (Golden Cove, Zen 5).</summary>
    public static int[] DepthCandidates() => [0, 128, 256];

    /// <summary>Block sizes around the L2 the OS reports (half of it) and the default's neighbours.</summary>
    public static int[] BlockCandidates()
    {
        var sizes = new SortedSet<int> { 256 * 1024, 512 * 1024, 1024 * 1024 };
        if (CacheSizes.L2Bytes() is long l2 && l2 >= 256 * 1024) sizes.Add((int)Math.Min(l2 / 2, 8 << 20));
        return [.. sizes];
    }

    private static bool TakesDefaults() => TakesDefaults(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>What a value of LEXICON_TUNING says: unset or empty, tune (false); "defaults", take the defaults (true);
    /// anything else is an <see cref="ArgumentException"/> naming it, rather than a switch silently ignored.</summary>
    public static bool TakesDefaults(string? value)
    {
        string text = value?.Trim() ?? "";
        if (text.Length == 0) return false;
        if (string.Equals(text, "defaults", StringComparison.OrdinalIgnoreCase)) return true;
        throw new ArgumentException($"{EnvironmentVariable}: '{value}' is not a setting: leave it unset to tune, or set it to defaults");
    }

    private static CpuTuningInfo Resolve()
    {
        if (!_enabled) return Defaults(null);
        if (TakesDefaults()) return Defaults("LEXICON_TUNING=defaults");
        return Load() ?? ProbeAndCache();
    }

    private static CpuTuningInfo Defaults(string? note) =>
        new(GemmShape.Default, "defaults", 0, CacheSizes.CpuModel(), SimdIsa.IsaName(SimdIsa.Configured), null, [], note);

    private static CpuTuningInfo ProbeAndCache()
    {
        // Both probes within ProbeBudget: the gathers get what the GEMM's left (their defaults are timed even when little is).
        var probed = GemmProbe.Run(RowCandidates(), BlockCandidates(), PrefetchCandidates(), DepthCandidates(), seconds: 0.65 * ProbeBudget);
        var gathers = GatherProbe.Run(GatherCandidates(), WeightGradCandidates(), seconds: Math.Max(0.15, 0.95 * ProbeBudget - probed.Seconds));
        var info = new CpuTuningInfo(probed.Best, "probe", probed.Seconds + gathers.Seconds, CacheSizes.CpuModel(),
            SimdIsa.IsaName(SimdIsa.Configured), CachePath(), probed.Trials)
        {
            ProbeLatents = probed.Latents,
            GatherAhead = gathers.Gather,
            GatherTrials = gathers.GatherTrials,
            WeightGradAhead = gathers.WeightGrad,
            WeightGradTrials = gathers.WeightGradTrials,
        };
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(info.CachePath)!);
            string temp = info.CachePath + $".{Environment.ProcessId}.tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(new CacheEntry(CacheVersion, info.CpuModel, info.Isa, CpuParallel.Threads,
                info.Shape.Rows, info.Shape.BlockBytes, info.Shape.PrefetchBytes, info.GatherAhead, info.WeightGradAhead, info.ProbeSeconds,
                [.. info.Trials], [.. info.GatherTrials], [.. info.WeightGradTrials], info.ProbeLatents, info.Shape.DepthBlock)));
            File.Move(temp, info.CachePath!, overwrite: true);
            return info;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return info with { CachePath = null, Note = $"not cached: {e.Message}" };
        }
    }

    private static CpuTuningInfo? Load()
    {
        string path = CachePath();
        try
        {
            if (!File.Exists(path)) return null;
            var e = JsonSerializer.Deserialize<CacheEntry>(File.ReadAllText(path));
            // A stale or foreign entry (another version, a hand edit) is probed again rather than trusted.
            if (e is null || e.Version != CacheVersion || !RowCandidates().Contains(e.Rows) || e.BlockBytes < 16 * 1024
                || !PrefetchCandidates().Contains(e.PrefetchBytes) || !GatherCandidates().Contains(e.GatherAhead)
                || !WeightGradCandidates().Contains(e.WeightGradAhead) || e.ProbeLatents is < GemmProbe.MinLatents or > GemmProbe.Latents
                || !DepthCandidates().Contains(e.DepthBlock)) return null;
            return new CpuTuningInfo(new GemmShape(e.Rows, e.BlockBytes, e.PrefetchBytes, e.DepthBlock), "cache", e.ProbeSeconds, e.CpuModel, e.Isa, path, e.Trials)
            {
                ProbeLatents = e.ProbeLatents,
                GatherAhead = e.GatherAhead,
                GatherTrials = e.GatherTrials ?? [],
                WeightGradAhead = e.WeightGradAhead,
                WeightGradTrials = e.WeightGradTrials ?? [],
            };
        }
        catch (Exception x) when (x is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>One file per CPU model, ISA and thread count, in the user's cache directory.</summary>
    public static string CachePath() => Path.Combine(CacheDirectory(), "lexicon", "cpu-tuning",
        CacheFileName(CacheSizes.CpuModel(), SimdIsa.Configured, SimdIsa.InHardware(SimdIsa.Configured), CpuParallel.Threads));

    /// <summary>The cache file's name: a width forced where the hardware lacks it (emulated, another speed entirely)
    /// has its own, so probing it never sets the choice of the width in hardware.</summary>
    public static string CacheFileName(string cpuModel, SimdWidth width, bool inHardware, int threads)
    {
        string key = $"{cpuModel}-{SimdIsa.IsaName(width)}{(inHardware ? "" : "-emulated")}-{threads}t";
        return new string([.. key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_')]) + ".json";
    }

    private static string CacheDirectory()
    {
        if (OperatingSystem.IsWindows()) return Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg) return xdg;
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return OperatingSystem.IsMacOS() ? Path.Combine(home, "Library", "Caches") : Path.Combine(home, ".cache");
    }

    private sealed record CacheEntry(int Version, string CpuModel, string Isa, int Threads, int Rows, int BlockBytes, int PrefetchBytes, int GatherAhead,
        int WeightGradAhead, double ProbeSeconds, GemmTrial[] Trials, GatherTrial[]? GatherTrials, GatherTrial[]? WeightGradTrials, int ProbeLatents = 0,
        int DepthBlock = 0);
}
