using Lexicon.Tests.Support;

namespace Lexicon.Tests.Features;

/// <summary>A tiny planted world, a three-layer suite on it, and the feature sites of the suite and of its layer-0 SAE,
/// made once for the feature-site tests (seconds).</summary>
public sealed class SiteWorld : IDisposable
{
    public const string Collection = "feature site world";

    public SiteWorld()
    {
        Ok(CliRunner.Run("synth", "--out", Store, "--layer-count", "3", "--d-model", "16", "--vocab", "64", "--tokens", "8000", "--features", "24"));
        Ok(CliRunner.Run("suite", "--data", Store, "--out", Suite, "--layers", "0-2", "--latents", "32", "--k", "4", "--batch", "256", "--train-tokens", "8000"));
        Ok(CliRunner.Run("features", "--suite", Suite, "--data", Store, "--out", SuiteSite));
        Ok(CliRunner.Run("features", "--sae", Path.Combine(Suite, "layer_00"), "--data", Store, "--out", SaeSite));
    }

    public Scratch Scratch { get; } = new();
    public string Store => Scratch["W"];
    public string Suite => Scratch["S"];
    public string SuiteSite => Scratch["site"];
    public string SaeSite => Scratch["sae-site"];

    public static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    public void Dispose() => Scratch.Dispose();
}

[CollectionDefinition(SiteWorld.Collection)]
public sealed class SiteWorldCollection : ICollectionFixture<SiteWorld>;
