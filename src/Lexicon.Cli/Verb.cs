using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lexicon.Checkpoints;

namespace Lexicon.Cli;

/// <summary>What every verb shares: the --json flag, one JSON object as the last line of stdout, and errors as one
/// line on stderr (exit 2 for bad input, 1 for anything else; a stack trace only with LEXICON_DEBUG=1). A verb's result is a
/// record serialised with the one snake_case policy (<see cref="JsonFiles.Options"/>), or a <see cref="JsonObject"/> as it is.</summary>
public static class Verb
{
    public static readonly Option<bool> Json = new("--json") { Description = "Print the result as one JSON object (last line of stdout)" };

    public static Command Create(string name, string description, Func<ParseResult, CancellationToken, object> run, params Option[] options)
    {
        var command = new Command(name, description);
        foreach (var option in options) command.Options.Add(option);
        command.Options.Add(Json);
        command.SetAction((parse, cancel) => Task.FromResult(Execute(parse, cancel, run)));
        return command;
    }

    /// <summary>A result as the JSON object --json prints: a record through the snake_case policy, a JsonObject as it is.</summary>
    public static JsonObject ToJson(object result) => result as JsonObject ?? JsonFiles.ToNode(result).AsObject();

    /// <summary>The environment switches are input too: a bad one is named before any work, with exit 2.</summary>
    private static void CheckEnvironment()
    {
        string variable = Lexicon.Kernels.Cpu.SimdIsa.EnvironmentVariable;
        try
        {
            Lexicon.Kernels.Cpu.SimdIsa.Parse(Environment.GetEnvironmentVariable(variable));
        }
        catch (ArgumentException e)
        {
            throw new BadInputException(variable, e.Message.Replace($"{variable}=", "'", StringComparison.Ordinal).Replace(":", "' is not a width:", StringComparison.Ordinal));
        }
        try
        {
            Lexicon.Kernels.Cpu.CpuTuning.TakesDefaults(Environment.GetEnvironmentVariable(Lexicon.Kernels.Cpu.CpuTuning.EnvironmentVariable));
        }
        catch (ArgumentException e)
        {
            throw new BadInputException(e.Message);
        }
    }

    private static int Execute(ParseResult parse, CancellationToken cancel, Func<ParseResult, CancellationToken, object> run)
    {
        try
        {
            CheckEnvironment();
            var result = run(parse, cancel);
            if (parse.GetValue(Json) && Ranks.Lead) Console.Out.WriteLine(ToJson(result).ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return ExitCodes.Ok;
        }
        catch (StepFailedException e)
        {
            return e.Code;
        }
        catch (Lexicon.Distributed.LeadFailedException e)
        {
            return e.BadInput ? ExitCodes.BadInput : ExitCodes.Failure;
        }
        catch (BadInputException e)
        {
            Say($"lexicon: {e.Message}", badInput: true);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            Say("lexicon: cancelled", badInput: false);
            return ExitCodes.Failure;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("LEXICON_DEBUG") != "1")
        {
            Say($"lexicon: failed: {e.Message}", badInput: false);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Under mpiexec a failure is printed once (see <see cref="Ranks.Message"/>).</summary>
    private static void Say(string line, bool badInput)
    {
        if (Ranks.Message(line, badInput) is { } text) Console.Error.WriteLine(text);
    }
}
