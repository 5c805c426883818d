using System.Diagnostics;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

/// <summary>
/// --out is a new or empty directory or an output of Lexicon's of the verb's kind; anything else is refused with exit 2
/// and left exactly as it was. Outputs are never an input, inside one or above one; --force replaces only Lexicon's own
/// (and puts it back if the run fails); two runs never write one output.
/// </summary>
public sealed class OutputSafetyTests(OutputSafetyTests.World world) : IClassFixture<OutputSafetyTests.World>
{
    public sealed class World : IDisposable
    {
        public World()
        {
            Ok(CliRunner.Run("synth", "--out", Scratch["W"], "--layer-count", "2", "--d-model", "8", "--vocab", "32", "--tokens", "2048", "--features", "8"));
            Ok(CliRunner.Run(Verbs["train"](Scratch["W"], Scratch["S"])));
        }

        public Scratch Scratch { get; } = new();

        public void Dispose() => Scratch.Dispose();
    }

    /// <summary>Each verb that writes an output directory, as a command line for (store, out).</summary>
    private static readonly Dictionary<string, Func<string, string, string[]>> Verbs = new()
    {
        ["train"] = (w, o) => ["train", "--data", w, "--layer", "1", "--latents", "8", "--k", "2", "--batch", "256", "--train-tokens", "512", "--out", o],
        ["compare"] = (w, o) => ["train", "--compare", "--data", w, "--layer", "1", "--latents", "8", "--k", "2", "--batch", "256", "--train-tokens", "512",
            "--compare-points", "2", "--out", o],
        ["suite"] = (w, o) => ["suite", "--data", w, "--layers", "0-1", "--latents", "8", "--k", "2", "--batch", "256", "--train-tokens", "512", "--out", o],
        ["report"] = (w, o) => ["report", "--data", w, "--layers", "0-1", "--latents", "8", "--k", "2", "--batch", "256", "--train-tokens", "512", "--out", o],
        ["synth"] = (_, o) => ["synth", "--out", o, "--layer-count", "1", "--d-model", "4", "--vocab", "16", "--tokens", "256", "--features", "2"],
        ["extract"] = (w, o) => ["extract", "--text", Path.Combine(w, "manifest.json"), "--tokens", "16", "--out", o],
    };

    public static TheoryData<string> AllVerbs => new(Verbs.Keys);

    public static TheoryData<string> VerbsWithData => new("train", "compare", "suite", "report");

    [Theory]
    [MemberData(nameof(AllVerbs))]
    public void A_users_directory_at_out_is_refused_and_left_as_it_was(string verb)
    {
        string mine = world.Scratch[$"mine-{verb}"];
        Directory.CreateDirectory(Path.Combine(mine, "sub"));
        File.WriteAllText(Path.Combine(mine, "notes.txt"), "mine");
        File.WriteAllText(Path.Combine(mine, "sub", "more.txt"), "mine too");
        string before = Tree(mine);
        Refused(CliRunner.Run(Verbs[verb](world.Scratch["W"], mine)), mine, "holds no Lexicon");
        Assert.Equal(before, Tree(mine));
    }

    [Theory]
    [MemberData(nameof(VerbsWithData))]
    public void Out_equal_to_inside_or_above_the_store_is_refused(string verb)
    {
        string store = world.Scratch["W"];
        string before = Tree(store);
        Refused(CliRunner.Run(Verbs[verb](store, store)), store, "is --data itself");
        Refused(CliRunner.Run(Verbs[verb](store, Path.Combine(store, "inner"))), "inner", "lies inside --data");
        Refused(CliRunner.Run(Verbs[verb](store, world.Scratch.Root)), world.Scratch.Root, "holds --data");
        Assert.Equal(before, Tree(store));
    }

    [Fact]
    public void Out_through_a_link_is_refused()
    {
        string link = world.Scratch["link-to-W"], empty = world.Scratch["empty"];
        if (!Directory.Exists(link)) Directory.CreateSymbolicLink(link, world.Scratch["W"]);
        Refused(CliRunner.Run(Verbs["train"](world.Scratch["W"], link)), "link-to-W", "is --data itself");
        Refused(CliRunner.Run(Verbs["train"](world.Scratch["W"], Path.Combine(link, "inner"))), "inner", "lies inside --data");
        Directory.CreateDirectory(empty);
        string emptyLink = world.Scratch["link-to-empty"];
        if (!Directory.Exists(emptyLink)) Directory.CreateSymbolicLink(emptyLink, empty);
        Refused(CliRunner.Run(Verbs["train"](world.Scratch["W"], emptyLink)), "link-to-empty", "symbolic link");
        Assert.True(Directory.Exists(empty));
    }

    [Fact]
    public void Out_where_nothing_can_be_written_is_refused_before_any_work()
    {
        var run = CliRunner.Run(Verbs["train"](world.Scratch["W"], "/proc/lexicon-out"));
        Refused(run, "/proc/lexicon-out", "cannot");
        Assert.DoesNotContain("step", run.Stdout + run.Stderr);
    }

    [Theory]
    [MemberData(nameof(AllVerbs))]
    public void Out_that_is_a_file_or_lies_below_one_is_refused(string verb)
    {
        string file = world.Scratch[$"file-{verb}.txt"];
        File.WriteAllText(file, "mine");
        Refused(CliRunner.Run(Verbs[verb](world.Scratch["W"], file)), file, "is a file");
        Refused(CliRunner.Run(Verbs[verb](world.Scratch["W"], Path.Combine(file, "below"))), "below", "is a file, so no directory");
        Assert.Equal("mine", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("train")]
    [InlineData("compare")]
    [InlineData("report")]
    [InlineData("synth")]
    public void An_existing_output_of_the_kind_needs_force_and_force_replaces_it(string verb)
    {
        string target = world.Scratch[$"twice-{verb}"];
        Ok(CliRunner.Run(Verbs[verb](world.Scratch["W"], target)));
        string before = Tree(target);
        Refused(CliRunner.Run(Verbs[verb](world.Scratch["W"], target)), target, "--force");
        Assert.Equal(before, Tree(target));
        Ok(CliRunner.Run([.. Verbs[verb](world.Scratch["W"], target), "--force"]));
        Assert.NotEqual(before, Tree(target));
        Assert.Equal([Path.GetFileName(target)], Directory.GetFileSystemEntries(world.Scratch.Root, $"*twice-{verb}*").Select(Path.GetFileName));
    }

    [Fact]
    public void Force_never_replaces_a_checkpoint_holding_a_users_file_nor_another_kind()
    {
        string target = world.Scratch["annotated"];
        Ok(CliRunner.Run(Verbs["train"](world.Scratch["W"], target)));
        File.WriteAllText(Path.Combine(target, "my-notes.md"), "mine");
        string before = Tree(target);
        Refused(CliRunner.Run([.. Verbs["train"](world.Scratch["W"], target), "--force"]), target, "my-notes.md");
        Assert.Equal(before, Tree(target));

        string store = world.Scratch["other-store"];
        Ok(CliRunner.Run(Verbs["synth"]("", store)));
        string storeBefore = Tree(store);
        Refused(CliRunner.Run([.. Verbs["train"](world.Scratch["W"], store), "--force"]), store, "activation store, not a checkpoint");
        Assert.Equal(storeBefore, Tree(store));
    }

    [Fact]
    public void A_users_directory_named_like_an_old_copy_survives_a_replace()
    {
        string target = world.Scratch["R1"];
        Ok(CliRunner.Run(Verbs["train"](world.Scratch["W"], target)));
        Directory.CreateDirectory(target + ".old");
        File.WriteAllText(Path.Combine(target + ".old", "keep.txt"), "mine");
        Ok(CliRunner.Run([.. Verbs["train"](world.Scratch["W"], target), "--force"]));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(target + ".old", "keep.txt")));
    }

    [Fact]
    public void A_failed_forced_run_puts_back_the_checkpoint_it_was_to_replace()
    {
        string store = world.Scratch["nan-store"];
        Scratch.CopyTree(world.Scratch["W"], store);
        NpyPoke.Float(Path.Combine(store, "layer_01.npy"), row: 700, column: 3, float.NaN);
        string before = Tree(world.Scratch["S"]);
        var run = CliRunner.Run([.. Verbs["train"](store, world.Scratch["S"]), "--force", "--checkpoint-every", "1"]);
        Refused(run, "layer_01.npy", "NaN activation at row 700");
        Assert.Equal(before, Tree(world.Scratch["S"]));
    }

    [Fact]
    public void A_second_run_on_an_output_in_use_is_refused_naming_the_holder()
    {
        string target = world.Scratch["busy"];
        string[] run = Verbs["train"](world.Scratch["W"], target);
        run[Array.IndexOf(run, "--train-tokens") + 1] = "1000000000000";
        using var holder = CliRunner.Start(run);
        var lockFile = Path.Combine(world.Scratch.Root, ".busy.lock");
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(lockFile) && new FileInfo(lockFile).Length > 0) && clock.Elapsed < TimeSpan.FromMinutes(1) && !holder.HasExited)
            Thread.Sleep(50);
        if (holder.HasExited) Assert.Fail(holder.StandardError.ReadToEnd());
        var second = CliRunner.Run(Verbs["train"](world.Scratch["W"], target));
        holder.Kill(entireProcessTree: true);
        holder.WaitForExit();
        Refused(second, target, $"in use by another Lexicon run (pid {holder.Id}");
    }

    private static string Tree(string directory) => string.Join("\n",
        Directory.GetDirectories(directory, "*", SearchOption.AllDirectories).Order().Select(d => $"{d}/").Append(Scratch.Fingerprint(directory))
            .Concat(Directory.GetDirectories(directory, "*", SearchOption.AllDirectories).Order().Select(Scratch.Fingerprint)));

    private static void Refused(CliResult result, string named, string problem)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        string message = result.Stderr.Trim();
        Assert.DoesNotContain('\n', message);
        Assert.True(message.Contains(named) && message.Contains(problem), $"expected '{named}' and '{problem}' in: {message}");
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
