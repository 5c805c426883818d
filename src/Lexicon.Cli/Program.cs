using System.CommandLine;
using Lexicon.Cli.Commands;
using Spectre.Console;

namespace Lexicon.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // Redirected to a file or a pipe, Spectre lays tables out for 80 columns and wraps the report's and bench's
        // summaries cell by cell; a log reads better with the rows whole.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
        // The command line tunes the CPU GEMM at first use (cached per CPU model); in-process callers such as tests
        // keep the defaults.
        Lexicon.Kernels.Cpu.CpuTuning.Enable();
        return RunRanks(args);
    }

    /// <summary>Under mpiexec (several ranks) MPI is joined first and ended last (<see cref="Distributed.World.End"/>);
    /// otherwise this is <see cref="Run"/>, and no MPI library is loaded.</summary>
    private static int RunRanks(string[] args)
    {
        Distributed.World? world;
        try
        {
            world = Distributed.World.Join();
        }
        catch (BadInputException e)
        {
            Console.Error.WriteLine($"lexicon: {e.Message}");
            return ExitCodes.BadInput;
        }
        if (world is null) return Run(args);
        string verb = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "";
        if (!Ranks.Verbs.Contains(verb))
        {
            if (world.IsLead)
                Console.Error.WriteLine($"lexicon: mpiexec: '{verb}' runs in one process; only {string.Join(", ", Ranks.Verbs[..^1])} and {Ranks.Verbs[^1]} run across ranks");
            return world.End(ExitCodes.BadInput);
        }
        try
        {
            // Every rank must parse the same line: one that fails to parse alone would skip the collectives the others
            // wait in, and a mismatched collective is undefined in MPI.
            Ranks.Same(System.Text.Encoding.UTF8.GetBytes(string.Join('\0', args)), "the ranks' command lines", badInput: true);
        }
        catch (BadInputException e)
        {
            if (world.IsLead) Console.Error.WriteLine($"lexicon: {e.Message}");
            return world.End(ExitCodes.BadInput);
        }
        return world.End(Run(args));
    }

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
            EncodeCommand.Create(),
            FeaturesCommand.Create(),
            BenchCommand.Create(),
            TuneCommand.Create(),
            QuickstartCommand.Create(),
        };
        var parsed = root.Parse(RenamedFlags.Apply(args, Ranks.Lead ? Console.Error : TextWriter.Null));
        if (parsed.Errors.Count > 0)
        {
            // One line: the first problem (the others are often consequences of it).
            if (Ranks.Message($"lexicon: {parsed.Errors[0].Message}", badInput: true) is { } line) Console.Error.WriteLine(line);
            return ExitCodes.BadInput;
        }
        return parsed.Invoke();
    }
}
