using System.CommandLine;
using System.Text.Json.Nodes;

namespace Lexicon.Cli.Commands;

/// <summary>
/// <c>lexicon quickstart</c>: the out-of-the-box run. Builds the default synthetic world, trains an SAE on layer 1 and
/// evaluates it against the planted features, by running the same verbs a user would type.
/// </summary>
public static class QuickstartCommand
{
    private static readonly Option<string> Out = Options.Make("--out", "Working directory for the world and the SAE", "runs/quickstart");

    public static Command Create() => Verb.Create("quickstart", "Synthesize a world, train an SAE on it and evaluate it (the README's first command)", Run, Out);

    private static JsonObject Run(ParseResult p, CancellationToken cancel)
    {
        string root = p.GetValue(Out)!;
        string world = Path.Combine(root, "world"), sae = Path.Combine(root, "sae_layer1");
        Step("synth", "--out", world);
        Step("train", "--data", world, "--layer", "1", "--latents", "512", "--k", "8", "--out", sae);
        Step("eval", "--sae", sae, "--data", world, "--layer", "1");
        return new JsonObject { ["world"] = Path.GetFullPath(world), ["sae"] = Path.GetFullPath(sae) };
    }

    private static void Step(params string[] args)
    {
        Console.WriteLine($"$ lexicon {string.Join(' ', args)}");
        int code = Program.Run(args);
        if (code != ExitCodes.Ok) throw new InvalidOperationException($"lexicon {args[0]} exited with {code}");
    }
}
