namespace Lexicon.Cli;

/// <summary>A verb run as a step of another (quickstart) failed and has printed why; the outer verb exits with its code
/// and prints nothing more.</summary>
public sealed class StepFailedException(string verb, int code) : Exception($"lexicon {verb} exited with {code}")
{
    public int Code { get; } = code;
}
