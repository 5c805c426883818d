using Lexicon.Tests.Support;

namespace Lexicon.Tests.Cli;

/// <summary>The foundation's acceptance run, as a user types it: synth, train, eval on the planted world.</summary>
public sealed class TrainEvalEndToEndTests
{
    [Fact]
    public void Plain_sae_recovers_the_planted_features_of_layer_1()
    {
        using var scratch = new Scratch();
        string world = scratch["W"], sae = scratch["S"];
        var synth = CliRunner.Run("synth", "--out", world, "--layer-count", "2", "--d-model", "64", "--vocab", "512", "--tokens", "200000", "--features", "256");
        Assert.True(synth.ExitCode == 0, synth.ToString());
        var train = CliRunner.Run("train", "--data", world, "--layer", "1", "--latents", "512", "--k", "8", "--out", sae, "--json");
        Assert.True(train.ExitCode == 0, train.ToString());
        var eval = CliRunner.Run("eval", "--sae", sae, "--data", world, "--layer", "1", "--json");
        Assert.True(eval.ExitCode == 0, eval.ToString());
        var json = eval.Json;
        Assert.Equal(8.0, json["l0"]!.GetValue<double>(), 6);
        Assert.True(json["mmcs"]!.GetValue<double>() >= 0.85, eval.Stdout);
        Assert.True(json["dead_fraction"]!.GetValue<double>() <= 0.1, eval.Stdout);
        double nmse = json["nmse"]!.GetValue<double>(), fvu = json["fvu"]!.GetValue<double>();
        Assert.InRange(nmse, 0, 0.3);
        Assert.InRange(fvu, 0, 0.3);
        Assert.Equal(1 - fvu, json["explained_variance"]!.GetValue<double>(), 9);
    }
}
