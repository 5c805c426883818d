using Lexicon.Tests.Support;

namespace Lexicon.Tests.Features;

/// <summary><c>lexicon features</c> on bad input: one line on stderr, exit 2, nothing written.</summary>
[Collection(SiteWorld.Collection)]
public sealed class FeaturesCliTests(SiteWorld world)
{
    [Fact]
    public void Both_sae_and_suite_is_exit_2_in_one_line()
    {
        var result = CliRunner.Run("features", "--sae", Path.Combine(world.Suite, "layer_00"), "--suite", world.Suite, "--data", world.Store,
            "--out", world.Scratch["both"]);
        ExpectRejected(result, "--sae/--suite");
        Assert.False(Directory.Exists(world.Scratch["both"]));
    }

    [Fact]
    public void A_top_of_zero_is_exit_2_in_one_line()
    {
        var result = CliRunner.Run("features", "--suite", world.Suite, "--data", world.Store, "--out", world.Scratch["zero"], "--top", "0");
        ExpectRejected(result, "--top");
    }

    [Fact]
    public void Writing_the_site_into_the_store_is_refused_and_leaves_it_untouched()
    {
        string before = Scratch.Fingerprint(world.Store);
        var result = CliRunner.Run("features", "--suite", world.Suite, "--data", world.Store, "--out", world.Store);
        ExpectRejected(result, "--out");
        Assert.Equal(before, Scratch.Fingerprint(world.Store));
    }

    [Fact]
    public void An_existing_site_is_replaced_only_with_force()
    {
        var again = CliRunner.Run("features", "--suite", world.Suite, "--data", world.Store, "--out", world.SuiteSite);
        ExpectRejected(again, "feature site");
        var forced = CliRunner.Run("features", "--suite", world.Suite, "--data", world.Store, "--out", world.SuiteSite, "--force", "--json");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.True(File.Exists((string)forced.Json["site"]!));
    }

    private static void ExpectRejected(CliResult result, string mention)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Single(result.Stderr.TrimEnd().Split('\n'));
        Assert.Contains(mention, result.Stderr);
    }
}
