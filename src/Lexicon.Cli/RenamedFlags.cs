namespace Lexicon.Cli;

/// <summary>
/// Flags whose name used to mean different things in different verbs. Each now means one thing everywhere
/// (<c>--tokens</c>: the tokens a store is made of, in synth, extract and quickstart; <c>--train-tokens</c>: training
/// tokens; <c>--eval-tokens</c>: tokens measured; <c>--layers</c>: a list of layers); the old spelling is still read
/// where it was valid, with a note on stderr, so that scripts written for it keep running.
/// </summary>
public static class RenamedFlags
{
    private static readonly (string Verb, string Old, string New, string Meaning)[] Renames =
    [
        ("train", "--tokens", "--train-tokens", "training tokens"),
        ("suite", "--tokens", "--train-tokens", "training tokens per layer"),
        ("report", "--tokens", "--train-tokens", "training tokens per SAE"),
        ("eval", "--tokens", "--eval-tokens", "tokens measured"),
        ("ngrams", "--tokens", "--eval-tokens", "tokens measured"),
        ("synth", "--layers", "--layer-count", "how many layers to generate"),
    ];

    /// <summary>The command line with old spellings replaced (as "--old V" or "--old=V"), one note per replacement.</summary>
    public static string[] Apply(string[] args, TextWriter notes)
    {
        if (args.Length == 0) return args;
        var result = (string[])args.Clone();
        foreach (var (verb, old, now, meaning) in Renames)
        {
            if (args[0] != verb) continue;
            for (int i = 1; i < result.Length; i++)
            {
                if (result[i] == "--") break; // what follows is not a flag
                if (result[i] != old && !result[i].StartsWith(old + "=", StringComparison.Ordinal)) continue;
                result[i] = now + result[i][old.Length..];
                notes.WriteLine($"lexicon: {verb} {old} is now {now} ({meaning}); {Elsewhere(old)}");
            }
        }
        return result;
    }

    private static string Elsewhere(string old) => old == "--layers"
        ? "--layers names a list of layers in every verb"
        : "--tokens is the number of tokens a store is made of (synth, extract, quickstart)";
}
