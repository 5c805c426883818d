using System.Text.Json.Nodes;
using Lexicon.Checkpoints;
using Lexicon.Data;
using Lexicon.Metrics;
using Lexicon.Tests.Support;

namespace Lexicon.Tests.Training;

/// <summary>--min-activation: the floor is saved with the checkpoint and told to SAELens users in cfg.json, and a loaded
/// checkpoint fires no latent below it, so a token fires fewer than k.</summary>
public sealed class MinActivationTests
{
    [Fact]
    public void A_checkpoint_keeps_its_floor_and_fires_nothing_below_it()
    {
        using var scratch = new Scratch();
        Ok(CliRunner.Run("synth", "--out", scratch["W"], "--layer-count", "1", "--d-model", "16", "--vocab", "32", "--tokens", "8000",
            "--features", "16"));
        Ok(CliRunner.Run("train", "--data", scratch["W"], "--layer", "0", "--latents", "32", "--k", "6", "--batch", "256",
            "--min-activation", "0.3", "--out", scratch["S"]));
        var checkpoint = Checkpoint.Load(scratch["S"]);
        Assert.Equal(0.3f, checkpoint.Weights.MinActivation);
        var cfg = JsonNode.Parse(File.ReadAllText(Path.Combine(scratch["S"], SaeLensConfig.FileName)))!;
        Assert.Equal(0.3f, cfg["metadata"]!["lexicon_min_activation"]!["value"]!.GetValue<float>());

        using var store = ActivationStore.Open(scratch["W"]);
        using var kernels = Backends.Create("cpu");
        const int rows = 2000;
        var value = new float[rows * 6];
        var eval = Evaluator.Run(kernels, checkpoint.Weights, 6, store, 0, new EvalOptions { MaxTokens = rows, CodeValue = value });
        Assert.All(value, v => Assert.True(v == 0 || v >= 0.3f, $"{v}"));
        Assert.InRange(eval.L0, 0.1, 5.5);

        // Without the floor the same weights fire all k wherever k pre-activations are positive.
        var plain = Evaluator.Run(kernels, checkpoint.Weights with { MinActivation = 0 }, 6, store, 0, new EvalOptions { MaxTokens = rows });
        Assert.True(plain.L0 > eval.L0, $"plain L0 {plain.L0}, floored {eval.L0}");
    }

    private static void Ok(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());
}
