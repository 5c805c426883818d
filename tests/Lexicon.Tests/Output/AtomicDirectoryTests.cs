using Lexicon.Checkpoints;
using Lexicon.Model;
using Lexicon.Output;
using Lexicon.Tests.Support;
using Lexicon.Training;

namespace Lexicon.Tests.Output;

/// <summary>A crash at any point of a checkpoint's replace leaves a complete checkpoint where eval and --resume look,
/// and the next write finishes or cleans up what the crash left.</summary>
public sealed class AtomicDirectoryTests
{
    private sealed class Crash : Exception;

    public static TheoryData<AtomicDirectory.Step> Steps => new(Enum.GetValues<AtomicDirectory.Step>());

    [Theory]
    [MemberData(nameof(Steps))]
    public void A_crash_after_any_step_leaves_a_loadable_checkpoint_and_the_next_write_cleans_up(AtomicDirectory.Step step)
    {
        using var scratch = new Scratch();
        string target = scratch["S"];
        Checkpoint.Write(target, Content(1));
        CrashAt(step, () => Checkpoint.Write(target, Content(2)));

        float loaded = Checkpoint.Load(target).Weights.BDec[0];
        Assert.Equal(step == AtomicDirectory.Step.MovedIn ? 2f : 1f, loaded);

        Checkpoint.Write(target, Content(3));
        Assert.Equal(3f, Checkpoint.Load(target).Weights.BDec[0]);
        Assert.Equal(["S"], Directory.GetFileSystemEntries(scratch.Root).Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void A_second_crash_after_one_that_left_only_the_old_copy_still_leaves_a_loadable_checkpoint(AtomicDirectory.Step step)
    {
        using var scratch = new Scratch();
        string target = scratch["S"];
        Checkpoint.Write(target, Content(1));
        CrashAt(AtomicDirectory.Step.MovedAside, () => Checkpoint.Write(target, Content(2)));
        Assert.False(Directory.Exists(target));

        CrashAt(step, () => Checkpoint.Write(target, Content(3)));
        Assert.Equal(step == AtomicDirectory.Step.MovedIn ? 3f : 1f, Checkpoint.Load(target).Weights.BDec[0]);
    }

    [Fact]
    public void A_failed_write_leaves_the_previous_directory_untouched_and_no_partial()
    {
        using var scratch = new Scratch();
        string target = scratch["T"];
        AtomicDirectory.Write(target, temp => File.WriteAllText(Path.Combine(temp, "a"), "old"));
        string before = Scratch.Fingerprint(target);
        Assert.Throws<InvalidOperationException>(() => AtomicDirectory.Write(target, temp =>
        {
            File.WriteAllText(Path.Combine(temp, "a"), "new");
            throw new InvalidOperationException("crash while writing");
        }));
        Assert.Equal(before, Scratch.Fingerprint(target));
        Assert.Single(Directory.GetFileSystemEntries(scratch.Root));
    }

    [Fact]
    public void Recovery_deletes_only_names_it_makes()
    {
        using var scratch = new Scratch();
        string target = scratch["S"];
        Checkpoint.Write(target, Content(1));
        // A user's folders that merely look alike: S.old, .S.partial-notes, .S.partial-1-xyz.
        foreach (string name in new[] { "S.old", ".S.partial-notes", ".S.partial-1-xyz" })
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(scratch[name]).FullName, "mine.txt"), "keep");
        Directory.CreateDirectory(scratch[$".S.partial-42-{Guid.NewGuid():N}"]);
        AtomicDirectory.Recover(target);
        Assert.Equal(new[] { ".S.partial-1-xyz", ".S.partial-notes", "S", "S.old" },
            Directory.GetFileSystemEntries(scratch.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static void CrashAt(AtomicDirectory.Step step, Action write)
    {
        AtomicDirectory.AfterStep.Value = s =>
        {
            if (s == step) throw new Crash();
        };
        try
        {
            Assert.Throws<Crash>(write);
        }
        finally
        {
            AtomicDirectory.AfterStep.Value = null;
        }
    }

    /// <summary>A tiny checkpoint told apart by its b_dec[0].</summary>
    private static CheckpointContent Content(float mark)
    {
        var weights = SaeWeights.Zeros(new SaeShape(2, 3));
        weights.BDec[0] = mark;
        return new CheckpointContent(new TrainConfig { Latents = 3, K = 1 }.Resolve(2, 10), weights);
    }
}
