using Lexicon.Kernels.Cpu;

namespace Lexicon.Cli.Commands.Results;

/// <summary>tune --json: the tuning now in use.</summary>
public sealed record TuneResult(Tuning Tuning);

/// <summary>The CPU encoder GEMM's tuning in use, as bench --json and tune --json report it, with every probed candidate.</summary>
public sealed record Tuning(string Source, int GemmTileRows, int GemmTileLatents, int GemmBlockBytes, int GemmPrefetchBytes, int GemmDepthBlock, int GatherPrefetchEntries,
    int WeightGradPrefetchEntries, double ProbeSeconds, int ProbeLatents, string CpuModel, string Isa, string? CachePath, string? Note,
    IReadOnlyList<TuningTrial> Trials, IReadOnlyList<GatherTuningTrial> GatherTrials, IReadOnlyList<GatherTuningTrial> WeightGradTrials)
{
    public static Tuning Of(CpuTuningInfo info) => new(info.Source, info.Shape.Rows, EncoderGemm.TileLatents, info.Shape.BlockBytes,
        info.Shape.PrefetchBytes, info.Shape.DepthBlock, info.GatherAhead, info.WeightGradAhead, info.ProbeSeconds, info.ProbeLatents, info.CpuModel, info.Isa, info.CachePath, info.Note,
        [.. info.Trials.Select(t => new TuningTrial(t.Shape.Rows, t.Shape.BlockBytes, t.Shape.PrefetchBytes, t.Shape.DepthBlock, t.Gflops))],
        Of(info.GatherTrials), Of(info.WeightGradTrials));

    private static GatherTuningTrial[] Of(IReadOnlyList<GatherTrial> trials) => [.. trials.Select(t => new GatherTuningTrial(t.Ahead, t.Milliseconds))];

    /// <summary>The tuning of the CPU backend in use.</summary>
    public static Tuning Current => Of(CpuTuning.Info);
}

/// <param name="GemmDepthBlock">Steps of d per pass (0: all of d).</param>
public sealed record TuningTrial(int GemmTileRows, int GemmBlockBytes, int GemmPrefetchBytes, int GemmDepthBlock, double Gflops);

/// <summary>The gather probe's time (SparseDecode + LatentGrad, or SparseWeightGrads) at one prefetch distance.</summary>
public sealed record GatherTuningTrial(int PrefetchEntries, double Ms);
