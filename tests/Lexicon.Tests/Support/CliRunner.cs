using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Lexicon.Tests.Support;

/// <summary>The result of one `lexicon` process.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The JSON object on the last line of stdout (--json).</summary>
    public JsonObject Json => JsonNode.Parse(Stdout.TrimEnd().Split('\n')[^1])!.AsObject();

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs the real command line in its own process (exit codes and output exactly as a user sees them).</summary>
public static class CliRunner
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "Lexicon.Cli.dll");

    public static CliResult Run(params string[] args) => RunWith(new Dictionary<string, string>(), args);

    /// <summary>Runs with these environment variables set (on top of the test's own).</summary>
    public static CliResult RunWith(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunWith(environment, TimeSpan.FromMinutes(5), args);

    /// <summary>Runs with these environment variables set, allowed <paramref name="limit"/> before it is killed.</summary>
    public static CliResult RunWith(IReadOnlyDictionary<string, string> environment, TimeSpan limit, params string[] args)
    {
        using var process = Start(environment, args);
        return Finish(process, limit, $"lexicon {string.Join(' ', args)}");
    }

    /// <summary>Reads a started process's output to its end and its exit code; killed (with its children) and reported
    /// as <paramref name="what"/> if it runs past <paramref name="limit"/>.</summary>
    internal static CliResult Finish(Process process, TimeSpan limit, string what)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not finish in {limit.TotalSeconds} s");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Starts `lexicon args` without waiting (its output redirected, for the caller to read or ignore).</summary>
    public static Process Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    private static Process Start(IReadOnlyDictionary<string, string> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }
}
