using System.Diagnostics;

namespace Lexicon.Tests.Support;

/// <summary>Runs the real command line as an MPI job: <c>mpiexec.mpich -n R dotnet Lexicon.Cli.dll …</c>.</summary>
public static class MpiRunner
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "Lexicon.Cli.dll");

    /// <summary>MPICH's launcher on this machine, or null (the MPI tests then skip; CI installs the mpich package).</summary>
    public static string? Launcher =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "mpiexec.mpich")).FirstOrDefault(File.Exists);

    public const string SkipReason = "mpiexec.mpich is not installed (apt-get install mpich; .ci/run installs it)";

    /// <summary>`lexicon args` on <paramref name="ranks"/> ranks, one CPU thread each, allowed <paramref name="limit"/>.</summary>
    public static CliResult Run(int ranks, IReadOnlyDictionary<string, string> environment, TimeSpan limit, params string[] args) =>
        RunJob(environment, limit, ["-n", ranks.ToString(), "dotnet", Dll, .. args]);

    public static CliResult Run(int ranks, params string[] args) => Run(ranks, new Dictionary<string, string>(), TimeSpan.FromMinutes(3), args);

    /// <summary>An MPMD job: one rank per argument list (mpiexec's <c>-n 1 A : -n 1 B</c>).</summary>
    public static CliResult RunEach(params string[][] perRank) =>
        RunJob(new Dictionary<string, string>(), TimeSpan.FromMinutes(3),
            perRank.SelectMany((args, r) => (r == 0 ? Array.Empty<string>() : [":"]).Concat(["-n", "1", "dotnet", Dll, .. args])).ToArray());

    private static CliResult RunJob(IReadOnlyDictionary<string, string> environment, TimeSpan limit, string[] mpiexecArgs)
    {
        var start = new ProcessStartInfo(Launcher ?? throw new InvalidOperationException(SkipReason))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Two ranks on the test machine's cores: one thread each, as the job would be run; no GEMM tuning probe.
        start.Environment["DOTNET_PROCESSOR_COUNT"] = "1";
        start.Environment["LEXICON_TUNING"] = "defaults";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        foreach (var a in mpiexecArgs) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        return CliRunner.Finish(process, limit, $"mpiexec {string.Join(' ', mpiexecArgs)}");
    }
}
