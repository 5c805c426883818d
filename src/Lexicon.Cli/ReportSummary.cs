using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Lexicon.Cli;

/// <summary>The report's terminal summary: per layer, plain / tokenized / suite on the held-out rows, in-sample NMSE beside.</summary>
public static class ReportSummary
{
    public static readonly string[] Models = ["plain", "tokenized", "suite"];

    public static void Print(IReadOnlyList<JsonObject> rows, long heldOutTokens)
    {
        var table = new Table().AddColumns("layer", "held-out fvu p / t / s", "held-out nmse p / t / s", "embedding recovered p / t / s",
            "in-sample nmse p / t / s");
        foreach (var r in rows)
            table.AddRow($"{r["layer"]}", Three(r, "fvu"), Three(r, "nmse"), Three(r, "embedding_recovered"), Three(r, "in_sample_nmse"));
        table.Caption($"held out: {heldOutTokens:N0} tokens of sequences no model trained on; p = plain, t = tokenized, s = suite");
        AnsiConsole.Write(table);
    }

    /// <summary>"a / b / c" for the three models' values of one key.</summary>
    public static string Three(JsonObject row, string key) => string.Join(" / ", Models.Select(m => Format(row[m]?[key])));

    public static string Format(JsonNode? value) =>
        value is null ? "-" : value.GetValue<double>().ToString("F4", CultureInfo.InvariantCulture);
}
