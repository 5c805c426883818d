using System.CommandLine;
using Lexicon.Cli.Commands.Results;
using Spectre.Console;

namespace Lexicon.Cli.Commands;

/// <summary><c>lexicon devices</c>: every backend and device a run could use, with the name to pass to --device.</summary>
public static class DevicesCommand
{
    public static Command Create() => Verb.Create("devices", "List the backends and devices, with memory and the --device name to pass", Run);

    private static DevicesResult Run(ParseResult parse, CancellationToken cancel)
    {
        var devices = Backends.List();
        if (!parse.GetValue(Verb.Json))
        {
            var table = new Table().AddColumns("--device", "device", "memory", "detail");
            foreach (var d in devices)
                table.AddRow(d.Backend, Markup.Escape(d.Name), d.MemoryBytes > 0 ? $"{d.MemoryBytes / (1 << 20):N0} MiB" : "", Markup.Escape(d.Detail));
            AnsiConsole.Write(table);
        }
        return new DevicesResult(devices);
    }
}
