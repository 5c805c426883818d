using System.CommandLine;
using Lexicon.Cli.Commands.Results;
using Lexicon.Kernels.Cpu;
using Spectre.Console;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon tune</c>: probes the CPU encoder GEMM's tile height, depth block, cache block and prefetch distance, and the row gathers' prefetch distance, again (≤ 2 s), caches the
/// choice for this CPU model and ISA, and prints it with every candidate's measured GFLOP/s.</summary>
public static class TuneCommand
{
    public static Command Create() => Verb.Create("tune", "Re-measure the CPU GEMM's tile, cache block and prefetch distance, and the gathers' prefetch distance, for this machine and cache the choice", Run);

    private static TuneResult Run(ParseResult parse, CancellationToken cancel)
    {
        var info = CpuTuning.Retune();
        if (!parse.GetValue(Verb.Json))
        {
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(info.Shape.ToString())}[/] on {Markup.Escape(info.CpuModel)} ({info.Isa}): {info.Source}" +
                (info.Source == "probe" ? $" in {info.ProbeSeconds:F2} s" : "") + (info.CachePath is { } path ? $", cached in {Markup.Escape(path)}" : "") +
                (info.Note is { } note ? $" ({Markup.Escape(note)})" : ""));
            if (info.Trials.Count > 0)
            {
                var table = new Table().AddColumns("tile", "block", "prefetch", "depth block", "GFLOP/s");
                foreach (var (s, gflops) in info.Trials)
                    table.AddRow($"{s.Rows}x32", $"{s.BlockBytes / 1024} KiB", s.PrefetchBytes == 0 ? "none" : $"{s.PrefetchBytes} B",
                        s.DepthBlock == 0 ? "all of d" : $"{s.DepthBlock}", $"{gflops:F1}");
                AnsiConsole.Write(table);
            }
            AnsiConsole.MarkupLine($"Row gathers prefetch {info.GatherAhead} entries ahead{Trials("SparseDecode + LatentGrad", info.GatherTrials)}; " +
                $"SparseWeightGrads {(info.WeightGradAhead == 0 ? "none" : $"{info.WeightGradAhead} entries ahead")}{Trials("SparseWeightGrads", info.WeightGradTrials)}");
        }
        return new TuneResult(Tuning.Of(info));
    }

    private static string Trials(string what, IReadOnlyList<GatherTrial> trials) => trials.Count == 0 ? "" :
        $" ({what}: " + string.Join(", ", trials.Select(t => $"{t.Ahead} ahead {t.Milliseconds:F2} ms")) + ")";
}
