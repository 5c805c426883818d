using Spectre.Console;

namespace Lexicon.Cli;

/// <summary>
/// Progress of long work on stderr (stdout stays clean for --json): a live Spectre.Console bar on a terminal, a plain
/// line every few seconds otherwise (logs, CI).
/// </summary>
public static class ProgressBar
{
    private static readonly IAnsiConsole Err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Runs work, handing it a reporter of (fraction done, status text).</summary>
    public static T Run<T>(string title, Func<Action<double, string>, T> work)
    {
        if (!Console.IsErrorRedirected && Err.Profile.Capabilities.Interactive)
        {
            return Err.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask(Markup.Escape(title), maxValue: 1);
                    var result = work((fraction, status) =>
                    {
                        task.Value = Math.Clamp(fraction, 0, 1);
                        task.Description = Markup.Escape(string.IsNullOrEmpty(status) ? title : $"{title}  {status}");
                    });
                    task.Value = 1;
                    return result;
                });
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lastPrint = TimeSpan.Zero;
        var result = work((fraction, status) =>
        {
            if (clock.Elapsed - lastPrint < TimeSpan.FromSeconds(5) && fraction < 1) return;
            lastPrint = clock.Elapsed;
            Console.Error.WriteLine($"{title}: {fraction:P0} {status}".TrimEnd());
        });
        return result;
    }
}
