using System.CommandLine;
using Lexicon.Cli.Commands;

namespace Lexicon.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args);

    /// <summary>Parses and runs one command line; exit code 2 for bad input (flags or files), 1 for failures.</summary>
    public static int Run(string[] args)
    {
        var root = new RootCommand("Lexicon: tokenized sparse autoencoders on hand-written kernels.")
        {
            DevicesCommand.Create(),
            SynthCommand.Create(),
            ExtractCommand.Create(),
            TrainCommand.Create(),
            EvalCommand.Create(),
            NgramsCommand.Create(),
            SuiteCommand.Create(),
            TraceCommand.Create(),
            ReportCommand.Create(),
            BenchCommand.Create(),
            QuickstartCommand.Create(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"lexicon: {error.Message}");
            return ExitCodes.BadInput;
        }
        return parsed.Invoke();
    }
}
