using System.CommandLine;
using Lexicon.Training;

namespace Lexicon.Cli;

/// <summary>The flags that define how an SAE is trained, shared by <c>train</c>, <c>suite</c> and <c>report</c> (one set
/// per command, since their defaults differ: each starts from its own <see cref="TrainConfig"/>).</summary>
public sealed class TrainingFlags(TrainConfig defaults)
{
    private readonly ConfigFlags<TrainConfig> _flags = new(defaults);

    public Option[] All => _flags.All;

    /// <summary>The training config these flags give (store path and layer set by the caller).</summary>
    public TrainConfig Read(ParseResult p, string data, int layer) =>
        _flags.Read(p, new TrainConfig()) with { Data = Path.GetFullPath(data), Layer = layer };
}
