namespace Lexicon;

/// <summary>A user's input is wrong (a file, a flag, a store): the CLI prints <see cref="Exception.Message"/> as one
/// line and exits with code 2. The message names the file and says what is wrong with it.</summary>
public sealed class BadInputException : Exception
{
    public BadInputException(string file, string problem) : base($"{file}: {problem}")
    {
        File = file;
        Problem = problem;
    }

    public BadInputException(string problem) : base(problem)
    {
        File = null;
        Problem = problem;
    }

    public string? File { get; }
    public string Problem { get; }
}
