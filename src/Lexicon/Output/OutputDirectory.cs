namespace Lexicon.Output;

/// <summary>What a verb asks of its output directory.</summary>
/// <param name="Flag">The flag that named it, for messages (--out).</param>
/// <param name="Kind">What the verb writes there.</param>
public sealed record OutputRequest(string Flag, OutputKind Kind)
{
    /// <summary>--force: an output of this kind that is there (and holds nothing else) may be replaced.</summary>
    public bool Force { get; init; }

    /// <summary>An output of this kind that is there is continued, not replaced (a suite resumes; a checkpoint resumed
    /// in place).</summary>
    public bool Continue { get; init; }

    /// <summary>Directories and files the verb reads (flag, path): the output may be none of them, lie inside none of
    /// them, and hold none of them.</summary>
    public IReadOnlyList<(string Flag, string Path)> Inputs { get; init; } = [];

    /// <summary>A hint for the message when an output of this kind is there and neither continued nor forced.</summary>
    public string? Hint { get; init; }
}

/// <summary>
/// Decides whether a verb may write where it is told to, before it does any work, and takes the output's lock. A verb
/// writes into a directory only if it does not exist, is empty, or holds a Lexicon output of the kind it writes; it
/// replaces one of those only with --force, and never one that holds anything Lexicon did not write there. An output
/// never is, lies inside, or holds one of the verb's inputs.
/// </summary>
public static class OutputDirectory
{
    public static OutputClaim Claim(string? path, OutputRequest request)
    {
        string flag = request.Flag;
        if (string.IsNullOrWhiteSpace(path)) throw new BadInputException(flag, "is empty; name a directory to write");
        string full = AtomicDirectory.Full(path);
        if (Path.GetDirectoryName(full) is null) throw new BadInputException($"{flag} {full}", $"the file system's root cannot be an output directory");
        CheckInputs(full, request);
        CheckPlace(full, flag);
        var outputLock = OutputLock.Take(full, flag);
        try
        {
            AtomicDirectory.Recover(full);
            var state = Inspect(full, request);
            if (state == OutputState.Replacing) Directory.Move(full, AtomicDirectory.Previous(full));
            return new OutputClaim(full, state, outputLock);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            outputLock.Dispose();
            throw new BadInputException($"{flag} {full}", $"cannot be written ({e.Message})");
        }
        catch
        {
            outputLock.Dispose();
            throw;
        }
    }

    private static OutputState Inspect(string full, OutputRequest request)
    {
        string flag = request.Flag;
        var kind = request.Kind;
        if (!Directory.Exists(full) || !Directory.EnumerateFileSystemEntries(full).Any()) return OutputState.Fresh;
        if (kind.Holds(full))
        {
            if (request.Force)
            {
                var foreign = kind.Foreign(full).Take(3).ToArray();
                if (foreign.Length > 0)
                    throw new BadInputException($"{flag} {full}", $"holds a Lexicon {kind.Name} and also files Lexicon did not write there " +
                        $"({string.Join(", ", foreign)}); --force replaces only what Lexicon wrote, so move them away first");
                return OutputState.Replacing;
            }
            if (request.Continue) return OutputState.Continued;
            throw new BadInputException($"{flag} {full}", $"already holds a Lexicon {kind.Name}; {request.Hint ?? "pass --force to replace it"}");
        }
        if (File.Exists(Path.Combine(full, kind.MarkerFile)))
            throw new BadInputException($"{flag} {full}", $"is not a Lexicon {kind.Name} that can be continued or replaced: {kind.Problem(full)}; " +
                "nothing was changed");
        if (OutputKind.Of(full) is { } other)
            throw new BadInputException($"{flag} {full}", $"holds a Lexicon {other.Name}, not a {kind.Name}; use another {flag}");
        throw new BadInputException($"{flag} {full}", $"is not empty and holds no Lexicon {kind.Name}; Lexicon writes only into a new or empty " +
            $"directory or over its own {kind.Name} (with --force)");
    }

    private static void CheckInputs(string full, OutputRequest request)
    {
        string real = RealPath.Of(full);
        foreach (var (inputFlag, inputPath) in request.Inputs)
        {
            if (string.IsNullOrWhiteSpace(inputPath)) continue;
            string input = RealPath.Of(AtomicDirectory.Full(inputPath));
            string problem = real == input ? $"is {inputFlag} itself"
                : RealPath.IsInside(real, input) ? $"lies inside {inputFlag} {input}"
                : RealPath.IsInside(input, real) ? $"holds {inputFlag} {input}"
                : "";
            if (problem.Length > 0)
                throw new BadInputException($"{request.Flag} {full}", $"{problem}; an output is never one of the inputs, inside one or above one");
        }
    }

    /// <summary>The output must be (or can become) a directory: not a file, not below a file, in a parent that exists
    /// or can be made.</summary>
    private static void CheckPlace(string full, string flag)
    {
        if (File.Exists(full)) throw new BadInputException($"{flag} {full}", $"is a file, not a directory");
        // Replacing moves and deletes the directory at the path; through a link that would be someone else's.
        if (new DirectoryInfo(full) is { Exists: true, LinkTarget: not null })
            throw new BadInputException($"{flag} {full}", "is a symbolic link; name the directory it points to instead");
        for (string? ancestor = Path.GetDirectoryName(full); ancestor is not null; ancestor = Path.GetDirectoryName(ancestor))
        {
            if (File.Exists(ancestor)) throw new BadInputException($"{flag} {full}", $"{ancestor} is a file, so no directory can be made below it");
            if (Directory.Exists(ancestor)) break;
        }
        string parent = Path.GetDirectoryName(full)!;
        try
        {
            Directory.CreateDirectory(parent);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"{flag} {full}", $"cannot make {parent} ({e.Message})");
        }
    }
}

public enum OutputState
{
    /// <summary>Nothing was there (or an empty directory).</summary>
    Fresh,

    /// <summary>An output of the kind is there and is continued.</summary>
    Continued,

    /// <summary>--force: the output that was there is kept aside until the run ends, and put back if it fails.</summary>
    Replacing,
}

/// <summary>A verb's hold on its output: the lock, and with --force the replaced output kept aside. <see cref="Commit"/>
/// when the run has ended as it should; disposing without it puts a replaced output back.</summary>
public sealed class OutputClaim : IDisposable
{
    private readonly OutputLock _lock;
    private bool _committed;

    internal OutputClaim(string path, OutputState state, OutputLock outputLock)
    {
        Path = path;
        State = state;
        _lock = outputLock;
    }

    public string Path { get; }
    public OutputState State { get; }

    public void Commit()
    {
        if (State == OutputState.Replacing) AtomicDirectory.TryDelete(AtomicDirectory.Previous(Path));
        _committed = true;
    }

    public void Dispose()
    {
        try
        {
            if (State == OutputState.Replacing && !_committed && Directory.Exists(AtomicDirectory.Previous(Path)))
            {
                // The failed run's output goes; what --force was to replace comes back as it was.
                AtomicDirectory.TryDelete(Path);
                if (!Directory.Exists(Path)) Directory.Move(AtomicDirectory.Previous(Path), Path);
            }
        }
        finally
        {
            _lock.Dispose();
        }
    }
}
