using System.Globalization;
using Lexicon.Cli.Commands.Results;
using Spectre.Console;

namespace Lexicon.Cli;

/// <summary>The report's terminal summary: per layer, plain / tokenized / suite on the held-out rows, in-sample NMSE beside.</summary>
public static class ReportSummary
{
    public static void Print(IReadOnlyList<ReportLayer> rows, long heldOutTokens)
    {
        var table = new Table().AddColumns("layer", "held-out fvu p / t / s", "held-out nmse p / t / s", "embedding recovered p / t / s",
            "in-sample nmse p / t / s");
        foreach (var r in rows)
            table.AddRow($"{r.Layer}", Three(r, m => m.Fvu), Three(r, m => m.Nmse), Three(r, m => m.EmbeddingRecovered), Three(r, m => m.InSampleNmse));
        table.Caption($"held out: {heldOutTokens:N0} tokens of sequences no model trained on; p = plain, t = tokenized, s = suite");
        AnsiConsole.Write(table);
    }

    /// <summary>"a / b / c" for the three models' values of one measurement.</summary>
    public static string Three(ReportLayer row, Func<ReportModel, double?> value) => string.Join(" / ", row.Models.Select(m => Format(value(m))));

    public static string Format(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
